export { reprocessHorizon } from './late-horizon.js';
export { PendingLate } from './pending-late.js';
export { loadStoredState } from './stored-state.js';
export type { LateStore } from './stored-state.js';
export { createLateWorker } from './late-worker.js';
export type { LateWorker, LateWorkerOptions } from './late-worker.js';
export { parseLateMessage, withLateTopic } from './late-topic.js';

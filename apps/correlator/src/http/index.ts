export { createHealthChecks } from './health.js';
export type { CheckResult, HealthCheck, HealthChecks, HealthReport } from './health.js';
export { startOpsServer } from './ops-server.js';
export type { OpsServer, OpsServerOptions } from './ops-server.js';

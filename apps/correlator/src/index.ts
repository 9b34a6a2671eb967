export { buildProgram, main } from './cli.js';
export { CorrelatorError, UsageError } from './errors.js';

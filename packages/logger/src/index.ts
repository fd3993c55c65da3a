export { createLogger, stderrDestination } from './create-logger.js';
export type { Logger, LoggerOptions } from './create-logger.js';
export { createLineScrubber, REDACT_PATHS, REDACTED } from './redaction.js';

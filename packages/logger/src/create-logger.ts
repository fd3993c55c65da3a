/**
 * The one way pos-ga4 creates loggers: pino JSON lines with secrets redacted (see redaction.ts).
 * The caller owns the returned logger; `destination` defaults to stdout. Child loggers carry
 * bindings such as `jobId`, `transactionId`, `terminalId`.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';

import { createLineScrubber, REDACT_PATHS, REDACTED } from './redaction.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly name: string;
  readonly level?: LevelWithSilent;
  /** Secret values to scrub from every line (GA4 api secrets, Redis passwords, HMAC keys). */
  readonly secrets?: readonly string[];
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const scrub = createLineScrubber(options.secrets ?? []);
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      hooks: { streamWrite: scrub },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** Standard error, synchronous: for CLI commands whose stdout carries data. */
export function stderrDestination(): DestinationStream {
  return pino.destination({ dest: 2, sync: true });
}

/**
 * Exponential backoff for reconnect attempts, pure.
 * Input: the number of failures so far (0 for the first wait) and the reconnect settings.
 * Output: the wait in ms, `initialDelayMs · factor^failures`, capped at `maxDelayMs`.
 */
import type { SerialReconnectConfig } from './serial-config.js';

export function backoffDelay(failures: number, settings: SerialReconnectConfig): number {
  const delay = settings.initialDelayMs * settings.factor ** Math.max(0, failures);
  return Math.min(settings.maxDelayMs, Math.round(delay));
}

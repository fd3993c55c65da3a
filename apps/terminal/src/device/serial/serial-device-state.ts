/**
 * The device state a SerialByteSource reports for heartbeats and logs: plain JSON-ready data,
 * one immutable snapshot per change.
 * - `open`: the port is open and read. `reconnecting`: not open, trying (also before the first
 *   open succeeds). `closed`: `close()` was called; final.
 * - `reconnects`: successful reopenings after the first open (unplug, close, silence).
 * - `silenceTimeouts`: watchdog expiries (each one also closes and reopens the port).
 * - `lastError`: the latest problem, kept after recovery so a heartbeat can show it.
 */
export type SerialDeviceStatus = 'open' | 'reconnecting' | 'closed';

export type SerialDeviceErrorKind =
  /** `'close'` with `disconnected === true` (unplug, socat gone, read error). */
  | 'disconnected'
  /** The port closed, or its stream ended, without a disconnect error. */
  | 'closed'
  /** No byte for `silenceTimeoutMs`. */
  | 'silence'
  /** The device path disappeared while the port looked open (an unplug serialport missed). */
  | 'vanished'
  | 'open-failed'
  | 'list-failed'
  | 'not-found'
  | 'ambiguous'
  /** An `'error'` event of the port (e.g. a failed close). */
  | 'port-error'
  /** The capture sink threw; the bytes still reached the iterator. */
  | 'capture-failed';

export interface SerialDeviceError {
  readonly kind: SerialDeviceErrorKind;
  readonly message: string;
  /** ISO 8601. */
  readonly at: string;
}

export interface SerialDeviceState {
  readonly state: SerialDeviceStatus;
  /** The path opened last (or being tried); null before any was resolved. */
  readonly path: string | null;
  /** ISO 8601 time the current `state` was entered. */
  readonly since: string;
  /** ISO 8601 time of the last byte received; null before the first. */
  readonly lastDataAt: string | null;
  readonly reconnects: number;
  readonly silenceTimeouts: number;
  readonly lastError: SerialDeviceError | null;
}

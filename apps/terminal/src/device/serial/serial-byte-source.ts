/**
 * SerialByteSource: a ByteSource over a serial line (serialport v13 `SerialPortStream` on an
 * injected binding: the native one in production, `MockBinding` in unit tests).
 *
 * Inputs: a parsed `SerialSourceConfig`, a binding, optionally a capture sink (receives every
 * chunk with its arrival time, before the iterator sees it), a clock and a state listener.
 * Output: the chunks read, in order, through one async iteration. The iteration does not end on
 * unplug: the source reconnects and keeps yielding; it ends only after `close()` (chunks read
 * before that are still delivered). Breaking out of the loop closes the source.
 *
 * Behaviour:
 * - Connecting starts at construction. The port is found by path or by ids (`list()`, preferring
 *   `/dev/serial/by-id/...`), again on every reconnect.
 * - A `'close'` event (with `disconnected === true` on unplug), a failed open, a failed listing,
 *   the silence watchdog (`silenceTimeoutMs`) or the presence check (`presenceCheckMs`: the
 *   opened path vanished; serialport misses some unplugs, e.g. a pty whose reads return 0 bytes
 *   forever) lead to `reconnecting`; the last two close the port first. Waits between attempts
 *   grow exponentially up to `reconnect.maxDelayMs` and reset after an open.
 * - Backpressure: over `maxBufferedBytes` unconsumed, reading pauses (the OS buffer and, with
 *   `rtscts`/`xon`, the device wait); it resumes at half.
 * Errors: nothing is thrown after construction; problems go to `state.lastError` and listeners.
 * Lifecycle: the source owns its ports and closes them; the caller owns the binding and the
 * capture sink (close the source first, then the capture). `close()` is idempotent.
 */
import { existsSync } from 'node:fs';

import { SerialPortStream } from '@serialport/stream';

import type { ByteSource } from '../byte-source.js';
import { backoffDelay } from './backoff.js';
import { ChunkQueue } from './chunk-queue.js';
import { resolveSerialPath } from './resolve-serial-path.js';
import type { SerialBinding } from './serial-binding.js';
import { systemClock } from './serial-clock.js';
import type { SerialClock } from './serial-clock.js';
import { serialSourceName } from './serial-config.js';
import type { SerialSourceConfig } from './serial-config.js';
import type {
  SerialDeviceError,
  SerialDeviceErrorKind,
  SerialDeviceState,
} from './serial-device-state.js';
import { describeOpenFailure, isDisconnectError, messageOf } from './serial-errors.js';

/** Where raw bytes are recorded (a CaptureWriter fits). Should not throw. */
export interface CaptureSink {
  write(chunk: Uint8Array, at: Date): void;
}

export interface SerialByteSourceOptions {
  readonly config: SerialSourceConfig;
  readonly binding: SerialBinding;
  readonly capture?: CaptureSink;
  readonly clock?: SerialClock;
  readonly onStateChange?: (state: SerialDeviceState) => void;
  /** For the `/dev/serial/by-id` preference and the presence check; tests inject it. */
  readonly pathExists?: (path: string) => boolean;
}

export type SerialStateListener = (state: SerialDeviceState) => void;

type Port = SerialPortStream;

type Loss =
  | { readonly kind: 'disconnected' | 'closed' | 'silence' | 'vanished'; readonly message: string }
  | { readonly kind: 'stopped' };

type OpenResult =
  { readonly ok: true; readonly port: Port } | { readonly ok: false; readonly error: unknown };

/** Resolves once the port is closed (or was not open); never rejects. */
function closePort(port: Port): Promise<void> {
  return new Promise((resolve) => {
    if (port.closing) {
      port.once('close', () => {
        resolve();
      });
      return;
    }
    if (!port.isOpen) {
      resolve();
      return;
    }
    port.close(() => {
      resolve();
    });
  });
}

export class SerialByteSource implements ByteSource {
  readonly name: string;
  readonly #config: SerialSourceConfig;
  readonly #binding: SerialBinding;
  readonly #capture: CaptureSink | undefined;
  readonly #clock: SerialClock;
  readonly #pathExists: ((path: string) => boolean) | undefined;
  readonly #listeners = new Set<SerialStateListener>();
  readonly #abort = new AbortController();
  readonly #queue: ChunkQueue;
  readonly #loop: Promise<void>;
  #state: SerialDeviceState;
  #lastDataAt: string | null = null;
  #port: Port | undefined;
  #iterating = false;
  #closing: Promise<void> | undefined;

  constructor(options: SerialByteSourceOptions) {
    this.name = serialSourceName(options.config);
    this.#config = options.config;
    this.#binding = options.binding;
    this.#capture = options.capture;
    this.#clock = options.clock ?? systemClock;
    this.#pathExists = options.pathExists;
    if (options.onStateChange !== undefined) this.#listeners.add(options.onStateChange);
    this.#queue = new ChunkQueue({
      lowWaterBytes: Math.floor(options.config.maxBufferedBytes / 2),
      onDrained: () => {
        if (this.#port?.isPaused() === true) this.#port.resume();
      },
    });
    this.#state = {
      state: 'reconnecting',
      path: options.config.path ?? null,
      since: this.#iso(),
      lastDataAt: null,
      reconnects: 0,
      silenceTimeouts: 0,
      lastError: null,
    };
    this.#loop = this.#run().catch((error: unknown) => {
      this.#report('port-error', `serial loop failed: ${messageOf(error)}`);
    });
  }

  /** The current device state (a fresh snapshot). */
  get state(): SerialDeviceState {
    return { ...this.#state, lastDataAt: this.#lastDataAt };
  }

  /** Calls `listener` on every state or error change; returns the unsubscribe function. */
  onStateChange(listener: SerialStateListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.#iterating) throw new Error(`${this.name}: a serial source can be iterated once`);
    this.#iterating = true;
    try {
      for (;;) {
        const chunk = await this.#queue.take();
        if (chunk === undefined) return;
        yield chunk;
      }
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#abort.abort();
      await this.#loop;
      this.#queue.end();
      this.#update({ state: 'closed' });
    })();
    return this.#closing;
  }

  /** Read through a call: the abort flag changes while the loop awaits. */
  #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  #iso(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #update(patch: Partial<Omit<SerialDeviceState, 'since' | 'lastDataAt'>>): void {
    const previous = this.#state;
    const next: SerialDeviceState = {
      ...previous,
      ...patch,
      since:
        patch.state !== undefined && patch.state !== previous.state ? this.#iso() : previous.since,
    };
    this.#state = next;
    const snapshot = this.state;
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch {
        // a listener's failure is its own business; the device keeps running
      }
    }
  }

  #error(kind: SerialDeviceErrorKind, message: string): SerialDeviceError {
    return { kind, message, at: this.#iso() };
  }

  #report(kind: SerialDeviceErrorKind, message: string): void {
    this.#update({ lastError: this.#error(kind, message) });
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let failures = 0;
    let wait = false;
    let opened = false;
    while (!this.#stopped()) {
      if (wait) {
        await this.#clock.sleep(backoffDelay(failures, this.#config.reconnect), signal);
        failures++;
        if (this.#stopped()) break;
      }
      wait = true;
      const resolved = await resolveSerialPath({
        selector: this.#config,
        binding: this.#binding,
        ...(this.#pathExists === undefined ? {} : { pathExists: this.#pathExists }),
      });
      if (this.#stopped()) break;
      if (!resolved.ok) {
        this.#update({
          state: 'reconnecting',
          lastError: this.#error(resolved.kind, resolved.message),
        });
        continue;
      }
      const opening = await this.#open(resolved.path);
      if (!opening.ok) {
        this.#update({
          state: 'reconnecting',
          path: resolved.path,
          lastError: this.#error('open-failed', describeOpenFailure(resolved.path, opening.error)),
        });
        continue;
      }
      const port = opening.port;
      if (this.#stopped()) {
        await closePort(port);
        break;
      }
      failures = 0;
      this.#port = port;
      this.#update({
        state: 'open',
        path: resolved.path,
        reconnects: this.#state.reconnects + (opened ? 1 : 0),
      });
      opened = true;
      const loss = await this.#watch(port, resolved.path);
      this.#port = undefined;
      if (loss.kind === 'stopped') break;
      this.#update({
        state: 'reconnecting',
        lastError: this.#error(loss.kind, `${resolved.path}: ${loss.message}`),
        silenceTimeouts: this.#state.silenceTimeouts + (loss.kind === 'silence' ? 1 : 0),
      });
    }
  }

  #open(path: string): Promise<OpenResult> {
    const config = this.#config;
    let port: Port;
    try {
      port = new SerialPortStream({
        binding: this.#binding,
        path,
        baudRate: config.baudRate,
        dataBits: config.dataBits,
        parity: config.parity,
        stopBits: config.stopBits,
        rtscts: config.rtscts,
        xon: config.xon,
        xoff: config.xoff,
        lock: config.lock,
        autoOpen: false,
      });
    } catch (error) {
      return Promise.resolve({ ok: false, error });
    }
    // Without a listener an 'error' event would throw; open errors come through the callback.
    port.on('error', (error: unknown) => {
      this.#report('port-error', `${path}: ${messageOf(error)}`);
    });
    return new Promise((resolve) => {
      port.open((error) => {
        resolve(error === null ? { ok: true, port } : { ok: false, error });
      });
    });
  }

  /** Reads `port` until it is lost or the source is closed; the port is closed when it settles. */
  #watch(port: Port, path: string): Promise<Loss> {
    const signal = this.#abort.signal;
    const silenceMs = this.#config.silenceTimeoutMs;
    const presenceMs = this.#config.presenceCheckMs;
    const exists = this.#pathExists ?? existsSync;
    // Only paths that exist as files are watched (not mock paths, not COM3).
    const watchPresence = presenceMs > 0 && exists(path);
    return new Promise((resolve) => {
      let settled = false;
      let closingFor: Loss | undefined;
      let cancelTimer = (): void => undefined;
      let cancelPresence = (): void => undefined;

      const settle = (loss: Loss): void => {
        if (settled) return;
        settled = true;
        cancelTimer();
        cancelPresence();
        signal.removeEventListener('abort', onAbort);
        port.off('close', onClose);
        port.off('end', onEnd);
        // Bytes the stream still buffers flow into the queue (the data listener stays).
        port.resume();
        resolve(loss);
      };
      const closeFor = (loss: Loss): void => {
        if (settled || closingFor !== undefined) return;
        closingFor = loss;
        cancelTimer();
        cancelPresence();
        void closePort(port).then(() => {
          settle(loss);
        });
      };
      const arm = (): void => {
        if (silenceMs <= 0 || settled || closingFor !== undefined) return;
        cancelTimer();
        cancelTimer = this.#clock.startTimer(silenceMs, () => {
          closeFor({ kind: 'silence', message: `no data for ${silenceMs} ms (silence watchdog)` });
        });
      };
      const checkPresence = (): void => {
        if (settled || closingFor !== undefined) return;
        if (!exists(path)) {
          closeFor({
            kind: 'vanished',
            message: 'device path disappeared without a close event (missed unplug)',
          });
          return;
        }
        cancelPresence = this.#clock.startTimer(presenceMs, checkPresence);
      };
      const onAbort = (): void => {
        closeFor({ kind: 'stopped' });
      };
      const onClose = (error: unknown): void => {
        settle(
          closingFor ??
            (isDisconnectError(error)
              ? { kind: 'disconnected', message: messageOf(error) }
              : { kind: 'closed', message: 'port closed' }),
        );
      };
      const onEnd = (): void => {
        closeFor({ kind: 'closed', message: 'port stream ended' });
      };

      port.on('data', (chunk: Buffer) => {
        this.#receive(port, chunk);
        arm();
      });
      port.on('close', onClose);
      port.on('end', onEnd);
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.#queue.bufferedBytes >= this.#config.maxBufferedBytes) port.pause();
      arm();
      if (watchPresence) cancelPresence = this.#clock.startTimer(presenceMs, checkPresence);
      if (signal.aborted) onAbort();
    });
  }

  #receive(port: Port, chunk: Buffer): void {
    const at = new Date(this.#clock.now());
    this.#lastDataAt = at.toISOString();
    if (this.#capture !== undefined) {
      try {
        this.#capture.write(chunk, at);
      } catch (error) {
        this.#report('capture-failed', messageOf(error));
      }
    }
    this.#queue.push(chunk);
    if (
      port === this.#port &&
      !port.isPaused() &&
      this.#queue.bufferedBytes >= this.#config.maxBufferedBytes
    )
      port.pause();
  }
}

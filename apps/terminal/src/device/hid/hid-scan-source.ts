/**
 * A HID barcode scanner as a stream of classified scans, surviving unplugs.
 *
 * Inputs (`HidScanSourceOptions`): a `HidDeviceProvider` (node-hid in production, the testkit fake
 * in tests), the `device` selector (vendorId/productId | path | usagePage, see
 * `hid-device-selector.ts`), the `decoder` (`{ mode: 'keyboard', keyboard: { layout, terminators,
 * interScanTimeoutMs, … } }` or `{ mode: 'pos', pos: {…} }`), `classify` options (loyalty
 * patterns, app QR keys), `backoff`, an injectable `clock`, `maxQueuedScans` (default 1000) and
 * `onStateChange` (must not throw; exceptions are ignored).
 * Outputs: an async iterator (single consumer) of `ScannedBarcode`s `{ data, terminator?,
 * symbology?, classification, at, raw, … }` in scan order, and `state` for heartbeats:
 * `{ status, since, device?, lastError?, failedAttempts, nextAttemptAt?, connects, scans,
 * droppedScans }`. `takeWarnings()` returns decoder warnings that belong to no scan.
 * Status: 'searching' (listing/opening, or waiting to retry because no device matched or open
 * failed) → 'connected' (reports flow) → on an 'error' event 'disconnected' (device closed,
 * waiting `backoff` before listing again) → 'searching' … → 'closed' after `close()`.
 * Rules: each connection gets a fresh decoder. Reports are decoded as they arrive (`clock.now()`,
 * epoch ms, is the report time); in keyboard mode a timer calls `flushIdle` after the inter-scan
 * timeout. On 'error' (node-hid has no close event, so an error means unplugged) the pending
 * keyboard scan is completed (terminator 'timeout', with a warning), a partial HID POS scan is
 * dropped, the device is closed, and the provider is listed again after `backoff` delays
 * (exponential, capped; reset by a successful open). Scans completed while connected are queued
 * exactly once, whatever happens to the device afterwards.
 * Errors: nothing is thrown after construction: list/open failures and device errors become
 * `state.lastError` and retries. Invalid options throw `TypeError` from the constructor.
 * Lifecycle: `start()` (also called by the first `[Symbol.asyncIterator]()`) begins the search;
 * `close()` stops retrying, cancels timers, completes a pending keyboard scan, closes the device and
 * ends the iterator once queued scans are read. Ending an iteration early (`break`) does not close
 * the source. Nothing here imports node-hid.
 */
import { classifyScan, ScanReportDecoder } from '../../scan/index.js';
import type {
  ClassifyScanOptions,
  DecodedScan,
  ScannedBarcode,
  ScanReportDecoderOptions,
} from '../../scan/index.js';
import { systemClock } from './hid-clock.js';
import type { HidClock } from './hid-clock.js';
import type { HidDevice, HidDeviceInfo, HidDeviceProvider } from './hid-device.js';
import {
  describeHidSelector,
  selectHidDevice,
  validateHidSelector,
} from './hid-device-selector.js';
import type { HidDeviceSelector } from './hid-device-selector.js';
import { backoffDelay, resolveBackoff } from './reconnect-backoff.js';
import type { Backoff, BackoffOptions } from './reconnect-backoff.js';
import { ScanQueue } from './scan-queue.js';

export type HidSourceStatus = 'searching' | 'connected' | 'disconnected' | 'closed';

export interface HidScanSourceState {
  readonly status: HidSourceStatus;
  /** When `status` last changed, ISO 8601. */
  readonly since: string;
  /** The open device, while connected. */
  readonly device?: HidDeviceInfo;
  readonly lastError?: { readonly message: string; readonly at: string };
  /** Failed list/open attempts since the last successful open. */
  readonly failedAttempts: number;
  /** When the next search starts, while waiting. */
  readonly nextAttemptAt?: string;
  readonly connects: number;
  readonly scans: number;
  readonly droppedScans: number;
}

export interface HidScanSourceOptions {
  readonly provider: HidDeviceProvider;
  readonly device: HidDeviceSelector;
  readonly decoder: ScanReportDecoderOptions;
  readonly classify?: ClassifyScanOptions;
  readonly backoff?: BackoffOptions;
  readonly clock?: HidClock;
  readonly maxQueuedScans?: number;
  readonly onStateChange?: (state: HidScanSourceState) => void;
}

interface Connection {
  readonly device: HidDevice;
  readonly decoder: ScanReportDecoder;
  readonly lost: Promise<void>;
  readonly markLost: () => void;
  done: boolean;
  cancelIdle: (() => void) | undefined;
}

const DEFAULT_MAX_QUEUED_SCANS = 1000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function closeQuietly(device: HidDevice): Promise<void> {
  try {
    await device.close();
  } catch {
    // the device is gone already; nothing else to release
  }
}

export class HidScanSource implements AsyncIterable<ScannedBarcode> {
  readonly #provider: HidDeviceProvider;
  readonly #selector: HidDeviceSelector;
  readonly #decoderOptions: ScanReportDecoderOptions;
  readonly #classify: ClassifyScanOptions;
  readonly #backoff: Backoff;
  readonly #clock: HidClock;
  readonly #onStateChange: ((state: HidScanSourceState) => void) | undefined;
  readonly #queue: ScanQueue<ScannedBarcode>;
  #running: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;
  #wake: (() => void) | undefined;
  #connection: Connection | undefined;
  #warnings: string[] = [];
  #status: HidSourceStatus = 'searching';
  #since: string;
  #device: HidDeviceInfo | undefined;
  #lastError: { readonly message: string; readonly at: string } | undefined;
  #failedAttempts = 0;
  /** Waits since the last successful open: the backoff exponent. */
  #retry = 0;
  #nextAttemptAt: string | undefined;
  #connects = 0;
  #scans = 0;

  constructor(options: HidScanSourceOptions) {
    this.#provider = options.provider;
    this.#selector = validateHidSelector(options.device);
    this.#decoderOptions = options.decoder;
    // Fail on invalid decoder options now, not on the first connection.
    new ScanReportDecoder(options.decoder);
    this.#classify = options.classify ?? {};
    this.#backoff = resolveBackoff(options.backoff);
    this.#clock = options.clock ?? systemClock;
    this.#onStateChange = options.onStateChange;
    this.#queue = new ScanQueue(options.maxQueuedScans ?? DEFAULT_MAX_QUEUED_SCANS);
    this.#since = this.#isoNow();
  }

  /** A snapshot for heartbeats and logs. */
  get state(): HidScanSourceState {
    return {
      status: this.#status,
      since: this.#since,
      ...(this.#device === undefined ? {} : { device: this.#device }),
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
      failedAttempts: this.#failedAttempts,
      ...(this.#nextAttemptAt === undefined ? {} : { nextAttemptAt: this.#nextAttemptAt }),
      connects: this.#connects,
      scans: this.#scans,
      droppedScans: this.#queue.dropped,
    };
  }

  /** Starts searching for the device (idempotent; a closed source stays closed). */
  start(): void {
    if (this.#running !== undefined || this.#closed) return;
    this.#running = this.#run().catch((error: unknown) => {
      this.#recordError(`scan source stopped: ${messageOf(error)}`);
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<ScannedBarcode, undefined> {
    this.start();
    return {
      next: () => this.#queue.next(),
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  /** Decoder warnings that belonged to no scan (stray keys, ignored reports), newest 100. */
  takeWarnings(): string[] {
    const warnings = [...this.#warnings, ...(this.#connection?.decoder.takeWarnings() ?? [])];
    this.#warnings = [];
    return warnings.slice(-100);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    const connection = this.#connection;
    if (connection !== undefined) await this.#disconnect(connection);
    await this.#running;
    this.#queue.end();
    this.#setStatus('closed');
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      this.#setStatus('searching');
      const connection = await this.#attempt();
      if (this.#isClosed()) return;
      let status: HidSourceStatus = 'searching';
      if (connection === undefined) {
        this.#failedAttempts++;
      } else {
        this.#failedAttempts = 0;
        this.#retry = 0;
        await connection.lost;
        if (this.#isClosed()) return;
        status = 'disconnected';
      }
      const delay = backoffDelay(this.#retry, this.#backoff);
      this.#retry++;
      this.#nextAttemptAt = new Date(this.#clock.now() + delay).toISOString();
      this.#setStatus(status);
      // onStateChange may have closed the source
      if (this.#isClosed()) return;
      await this.#sleep(delay);
      this.#nextAttemptAt = undefined;
    }
  }

  async #attempt(): Promise<Connection | undefined> {
    try {
      const devices = await this.#provider.list();
      if (this.#isClosed()) return undefined;
      const info = selectHidDevice(devices, this.#selector, this.#decoderOptions.mode);
      if (info === undefined) {
        this.#recordError(
          `no HID device matches ${describeHidSelector(this.#selector)} (${devices.length} HID interfaces present)`,
        );
        return undefined;
      }
      const device = await this.#provider.open(info);
      if (this.#isClosed()) {
        await closeQuietly(device);
        return undefined;
      }
      return this.#connect(device, info);
    } catch (error) {
      this.#recordError(messageOf(error));
      return undefined;
    }
  }

  #connect(device: HidDevice, info: HidDeviceInfo): Connection {
    let markLost = (): void => undefined;
    const lost = new Promise<void>((resolve) => {
      markLost = resolve;
    });
    const connection: Connection = {
      device,
      decoder: new ScanReportDecoder(this.#decoderOptions),
      lost,
      markLost,
      done: false,
      cancelIdle: undefined,
    };
    this.#connection = connection;
    device.on('data', (report) => {
      this.#onReport(connection, report);
    });
    device.on('error', (error) => {
      this.#recordError(`device lost: ${messageOf(error)}`);
      void this.#disconnect(connection);
    });
    this.#connects++;
    this.#device = info;
    this.#setStatus('connected');
    return connection;
  }

  #onReport(connection: Connection, report: Uint8Array): void {
    if (connection.done) return;
    this.#emit(connection.decoder.push(report, this.#clock.now()));
    this.#scheduleIdleFlush(connection);
  }

  #scheduleIdleFlush(connection: Connection): void {
    connection.cancelIdle?.();
    connection.cancelIdle = undefined;
    const timeout = connection.decoder.idleTimeoutMs;
    if (timeout === undefined || !connection.decoder.hasPendingScan) return;
    connection.cancelIdle = this.#clock.setTimer(timeout, () => {
      connection.cancelIdle = undefined;
      if (connection.done) return;
      this.#emit(connection.decoder.flushIdle(this.#clock.now()));
      this.#scheduleIdleFlush(connection);
    });
  }

  /** Ends one connection: flush the decoder, close the device, let the loop continue. */
  async #disconnect(connection: Connection): Promise<void> {
    if (connection.done) return;
    connection.done = true;
    connection.cancelIdle?.();
    connection.cancelIdle = undefined;
    this.#emit(connection.decoder.end());
    this.#keepWarnings(connection.decoder.takeWarnings());
    if (this.#connection === connection) this.#connection = undefined;
    this.#device = undefined;
    if (!this.#closed) this.#setStatus('disconnected');
    await closeQuietly(connection.device);
    connection.markLost();
  }

  #emit(scans: readonly DecodedScan[]): void {
    for (const scan of scans) {
      let scanned: ScannedBarcode;
      try {
        scanned = classifyScan(scan, this.#classify);
      } catch (error) {
        // A configuration problem (e.g. an app QR secret that is too short) must not lose scans.
        this.#recordError(`classification failed: ${messageOf(error)}`);
        scanned = classifyScan(scan);
      }
      this.#scans++;
      this.#queue.push(scanned);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        cancel();
        this.#wake = undefined;
        resolve();
      };
      const cancel = this.#clock.setTimer(ms, wake);
      this.#wake = wake;
    });
  }

  #keepWarnings(warnings: readonly string[]): void {
    this.#warnings.push(...warnings);
    if (this.#warnings.length > 100) this.#warnings = this.#warnings.slice(-100);
  }

  #recordError(message: string): void {
    this.#lastError = { message, at: this.#isoNow() };
    this.#notify();
  }

  #setStatus(status: HidSourceStatus): void {
    if (status !== this.#status) {
      this.#status = status;
      this.#since = this.#isoNow();
    }
    this.#notify();
  }

  #notify(): void {
    try {
      this.#onStateChange?.(this.state);
    } catch {
      // a heartbeat callback must not break the device loop
    }
  }

  /** A method, not the field, so that checks after an `await` are not narrowed away. */
  #isClosed(): boolean {
    return this.#closed;
  }

  #isoNow(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

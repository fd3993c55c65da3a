/**
 * A fake HID library for tests of HID scan sources: `FakeHidProvider` and `FakeHidDevice` have the
 * shape of the terminal's `HidDeviceProvider` / `HidDevice` ports (structurally; testkit does not
 * depend on the terminal), so code under test cannot tell them from node-hid. node-hid itself is
 * never stubbed.
 *
 * Inputs: the devices plugged in (`new FakeHidProvider([info, …])`, `plug(info)`,
 * `unplug(path)`), reports (`device.emitReport(bytes | hex)`), failures (`device.emitError()`: a
 * read error, as node-hid reports an unplug; `provider.failNextList(error)` /
 * `failNextOpen(error)`).
 * Outputs: `list()` resolves the plugged devices (copies); `open(info)` resolves a new
 * `FakeHidDevice` for a plugged device (by path, else vendorId/productId) and rejects for an absent
 * one, like node-hid. Counters: `listCount`, `openCount`, `closeCount`; `opened` (every device
 * opened, in order), `current` (the newest open one); `nextOpen()` resolves at the next open.
 * Rules: `unplug(path)` removes the device from `list()` and makes every open device with that path
 * emit `'error'` (node-hid's "could not read from HID device"). After an error or `close()`, a
 * device emits nothing more (`emitReport` returns false). `close()` is idempotent; `closeCount`
 * counts devices closed, not calls.
 * Report builders: `usKeyboardReports(text)` is what a keyboard-wedge scanner on the US layout
 * sends for `text` (a press and a release report per character, Shift for capitals and symbols,
 * `\n` = Enter, `\t` = Tab); `hidPosReports(data, { symbology })` the 64-byte HID POS reports
 * (report id 2, length, AIM id, data, continuation flag in the last byte) of one scan.
 * Errors: `emitReport` throws `TypeError` for malformed hex; the builders for characters they
 * cannot type. Lifecycle: in-memory, synchronous events (listeners run inside `emitReport` /
 * `emitError`).
 */
import { Buffer } from 'node:buffer';

export interface FakeHidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly release?: number;
  readonly interface?: number;
  readonly usagePage?: number;
  readonly usage?: number;
}

type DataListener = (report: Buffer) => void;
type ErrorListener = (error: Error) => void;

function toBuffer(report: Uint8Array | readonly number[] | string): Buffer {
  if (typeof report !== 'string') return Buffer.from(report);
  const hex = report.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new TypeError(`not a hex report: ${report}`);
  return Buffer.from(hex, 'hex');
}

export class FakeHidDevice {
  readonly info: FakeHidDeviceInfo;
  readonly #onClose: () => void;
  readonly #data: DataListener[] = [];
  readonly #errors: ErrorListener[] = [];
  #closed = false;
  #failed = false;
  #reports = 0;

  constructor(info: FakeHidDeviceInfo, onClose: () => void = () => undefined) {
    this.info = info;
    this.#onClose = onClose;
  }

  /** Closed by its owner. */
  get closed(): boolean {
    return this.#closed;
  }

  /** An error was emitted (the device is dead until reopened). */
  get failed(): boolean {
    return this.#failed;
  }

  /** Reports delivered to listeners. */
  get reportCount(): number {
    return this.#reports;
  }

  on(event: 'data', listener: DataListener): void;
  on(event: 'error', listener: ErrorListener): void;
  on(event: 'data' | 'error', listener: DataListener | ErrorListener): void {
    if (event === 'data') this.#data.push(listener as DataListener);
    else this.#errors.push(listener as ErrorListener);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#onClose();
    }
    return Promise.resolve();
  }

  /** Delivers one input report; false (and nothing happens) once closed or failed. */
  emitReport(report: Uint8Array | readonly number[] | string): boolean {
    if (this.#closed || this.#failed) return false;
    const buffer = toBuffer(report);
    this.#reports++;
    for (const listener of [...this.#data]) listener(Buffer.from(buffer));
    return true;
  }

  /** Delivers several reports in order; returns how many were delivered. */
  emitReports(reports: Iterable<Uint8Array | readonly number[] | string>): number {
    let delivered = 0;
    for (const report of reports) if (this.emitReport(report)) delivered++;
    return delivered;
  }

  /** A read error, as node-hid reports an unplug. Later reports are not delivered. */
  emitError(error: Error = new Error('could not read from HID device')): void {
    if (this.#closed || this.#failed) return;
    this.#failed = true;
    for (const listener of [...this.#errors]) listener(error);
  }
}

export class FakeHidProvider {
  #plugged: FakeHidDeviceInfo[];
  readonly #opened: FakeHidDevice[] = [];
  readonly #openWaiters: ((device: FakeHidDevice) => void)[] = [];
  #listCount = 0;
  #openCount = 0;
  #closeCount = 0;
  #listFailure: Error | undefined;
  #openFailure: Error | undefined;

  constructor(devices: readonly FakeHidDeviceInfo[] = []) {
    this.#plugged = [...devices];
  }

  get listCount(): number {
    return this.#listCount;
  }

  get openCount(): number {
    return this.#openCount;
  }

  get closeCount(): number {
    return this.#closeCount;
  }

  /** Every device opened so far, oldest first. */
  get opened(): readonly FakeHidDevice[] {
    return this.#opened;
  }

  /** The newest device that is open and has not failed. */
  get current(): FakeHidDevice | undefined {
    return this.#opened.findLast((device) => !device.closed && !device.failed);
  }

  get plugged(): readonly FakeHidDeviceInfo[] {
    return this.#plugged;
  }

  plug(info: FakeHidDeviceInfo): void {
    this.#plugged.push(info);
  }

  /** Removes the device from `list()`; its open handles emit 'error'. */
  unplug(path: string): void {
    this.#plugged = this.#plugged.filter((info) => info.path !== path);
    for (const device of this.#opened) if (device.info.path === path) device.emitError();
  }

  failNextList(error: Error): void {
    this.#listFailure = error;
  }

  failNextOpen(error: Error): void {
    this.#openFailure = error;
  }

  /** Resolves with the next device opened. */
  nextOpen(): Promise<FakeHidDevice> {
    return new Promise((resolve) => {
      this.#openWaiters.push(resolve);
    });
  }

  list(): Promise<FakeHidDeviceInfo[]> {
    this.#listCount++;
    const failure = this.#listFailure;
    this.#listFailure = undefined;
    if (failure !== undefined) return Promise.reject(failure);
    return Promise.resolve(this.#plugged.map((info) => ({ ...info })));
  }

  open(info: FakeHidDeviceInfo): Promise<FakeHidDevice> {
    this.#openCount++;
    const failure = this.#openFailure;
    this.#openFailure = undefined;
    if (failure !== undefined) return Promise.reject(failure);
    const plugged = this.#plugged.find((candidate) =>
      info.path === undefined
        ? candidate.vendorId === info.vendorId && candidate.productId === info.productId
        : candidate.path === info.path,
    );
    if (plugged === undefined) {
      return Promise.reject(new Error(`could not open HID device ${info.path ?? ''}`.trim()));
    }
    const device = new FakeHidDevice(plugged, () => {
      this.#closeCount++;
    });
    this.#opened.push(device);
    for (const waiter of this.#openWaiters.splice(0)) waiter(device);
    return Promise.resolve(device);
  }
}

const SHIFT = 0x02;
/** Usages 0x1e..0x38 on the US layout, unshifted and shifted; `\0` = no character here. */
const US_UNSHIFTED = "1234567890\n\0\0\t -=[]\\\0;'`,./";
const US_SHIFTED = '!@#$%^&*()\0\0\0\0\0_+{}|\0:"~<>?';

function usKey(ch: string): readonly [modifier: number, usage: number] {
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code >= 0x61 && code <= 0x7a) return [0, 0x04 + code - 0x61];
  if (ch.length === 1 && code >= 0x41 && code <= 0x5a) return [SHIFT, 0x04 + code - 0x41];
  const plain = ch === '\0' ? -1 : US_UNSHIFTED.indexOf(ch);
  if (plain >= 0) return [0, 0x1e + plain];
  const shifted = ch === '\0' ? -1 : US_SHIFTED.indexOf(ch);
  if (shifted >= 0) return [SHIFT, 0x1e + shifted];
  throw new TypeError(`cannot type ${JSON.stringify(ch)} on the US layout`);
}

/** Boot keyboard reports (8 bytes) typing `text` on the US layout: press, release per character. */
export function usKeyboardReports(text: string): Buffer[] {
  const reports: Buffer[] = [];
  for (const ch of text) {
    const [modifier, usage] = usKey(ch);
    reports.push(Buffer.from([modifier, 0, usage, 0, 0, 0, 0, 0]), Buffer.alloc(8));
  }
  return reports;
}

/** HID POS scanned-data reports (64 bytes, report id 2) carrying `data` (latin1). */
export function hidPosReports(
  data: string,
  options: { readonly symbology?: string; readonly reportSize?: number } = {},
): Buffer[] {
  const size = options.reportSize ?? 64;
  const room = size - 6;
  if (room < 1) throw new TypeError('reportSize must be at least 7');
  const bytes = Buffer.from(data, 'latin1');
  const reports: Buffer[] = [];
  for (let at = 0; at === 0 || at < bytes.length; at += room) {
    const part = bytes.subarray(at, at + room);
    const report = Buffer.alloc(size);
    report[0] = 0x02;
    report[1] = part.length;
    if (options.symbology !== undefined && at === 0) report.write(options.symbology, 2, 'latin1');
    part.copy(report, 5);
    report[size - 1] = at + room < bytes.length ? 0x01 : 0x00;
    reports.push(report);
  }
  return reports;
}

/**
 * The HID ports: what the scan source needs from a HID library, so that everything above it runs
 * against `FakeHidProvider` (`@pos-ga4/testkit`) in tests and against node-hid in production
 * (`node-hid-provider.ts`, the only file that loads node-hid).
 *
 * `HidDeviceProvider.list()` resolves the HID interfaces present now (one entry per interface /
 * top-level collection; `path` is the platform path, e.g. `/dev/hidraw3`); `open(info)` opens one.
 * Both reject when the HID library cannot be used (missing native library, permissions).
 * `HidDevice` delivers input reports as `'data'` events (a Buffer per report; byte 0 is the
 * report id when the device numbers its reports) and reports a failed read as `'error'`.
 * There is no close or unplug event: an `'error'` means the device is gone (unplugged, reset,
 * access revoked); after it no more `'data'` comes and the owner should `close()` it.
 * `close()` is idempotent and resolves even when the device is already gone.
 */
import type { Buffer } from 'node:buffer';

export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly release?: number;
  /** USB interface number (-1 or absent when unknown). */
  readonly interface?: number;
  /** Top-level collection usage page: 0x01 Generic Desktop (keyboards), 0x8C Bar Code Scanner. */
  readonly usagePage?: number;
  readonly usage?: number;
}

export interface HidDevice {
  on(event: 'data', listener: (report: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export interface HidDeviceProvider {
  list(): Promise<readonly HidDeviceInfo[]>;
  open(info: HidDeviceInfo): Promise<HidDevice>;
}

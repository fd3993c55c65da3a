/**
 * The native serial binding (`@serialport/bindings-cpp`, through `serialport`'s `SerialPort`).
 * This is the only file that imports `serialport`; it does so lazily, so code and tests that never
 * open a real port do not load the native module.
 * Output: `{ ok: true, binding }` (on Linux with the udevadm guard of `guardUdevadm`, so listing
 * without udev gives a clear message instead of spawning), or `{ ok: false, message }` when the
 * native module cannot load (unsupported platform, missing prebuild). Never throws. No lifecycle:
 * ports opened through the binding belong to their SerialByteSource.
 */
import { guardUdevadm } from './list-serial-ports.js';
import type { SerialBinding } from './serial-binding.js';
import { messageOf } from './serial-errors.js';

export type SystemSerialBindingResult =
  | { readonly ok: true; readonly binding: SerialBinding }
  | { readonly ok: false; readonly message: string };

export async function loadSystemSerialBinding(
  platform: NodeJS.Platform = process.platform,
): Promise<SystemSerialBindingResult> {
  try {
    const { SerialPort } = await import('serialport');
    const binding: SerialBinding = SerialPort.binding;
    return { ok: true, binding: platform === 'linux' ? guardUdevadm(binding) : binding };
  } catch (error) {
    return {
      ok: false,
      message: `the native serial binding did not load (${messageOf(error)}): reinstall with npm ci on this platform`,
    };
  }
}

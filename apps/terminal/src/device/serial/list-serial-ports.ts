/**
 * Listing serial ports without crashing: `listSerialPorts(binding)` never throws and returns a
 * typed result. On Linux the native `list()` runs `udevadm info -e`; where udev is missing it
 * fails (on some set-ups as an uncaught spawn error), so `guardUdevadm(binding)` checks the PATH
 * first and makes `list()` reject with `UdevadmMissingError` instead of spawning.
 * Outcomes: `{ ok: true, ports }`, or `{ ok: false, code: 'UDEVADM_MISSING' | 'LIST_FAILED',
 * message }` where the message says what to do. No lifecycle.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import type { SerialBinding, SerialPortInfo } from './serial-binding.js';

export const UDEVADM_MISSING_MESSAGE =
  'udevadm not found: install udev, or configure the port by path';

export class UdevadmMissingError extends Error {
  readonly code = 'UDEVADM_MISSING';
  constructor() {
    super(UDEVADM_MISSING_MESSAGE);
    this.name = 'UdevadmMissingError';
  }
}

export type SerialPortListResult =
  | { readonly ok: true; readonly ports: readonly SerialPortInfo[] }
  | {
      readonly ok: false;
      readonly code: 'UDEVADM_MISSING' | 'LIST_FAILED';
      readonly message: string;
      readonly cause: unknown;
    };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function looksLikeMissingUdevadm(error: unknown): boolean {
  if (error instanceof UdevadmMissingError) return true;
  const message = messageOf(error);
  return /udevadm/i.test(message) && /ENOENT|not found/i.test(message);
}

export async function listSerialPorts(binding: SerialBinding): Promise<SerialPortListResult> {
  try {
    const ports = await binding.list();
    return { ok: true, ports };
  } catch (error) {
    if (looksLikeMissingUdevadm(error))
      return { ok: false, code: 'UDEVADM_MISSING', message: UDEVADM_MISSING_MESSAGE, cause: error };
    return {
      ok: false,
      code: 'LIST_FAILED',
      message: `listing serial ports failed: ${messageOf(error)} (or configure the port by path)`,
      cause: error,
    };
  }
}

/** True when `name` is an executable file in one of the PATH directories. */
export function isOnPath(name: string, pathVariable: string = process.env['PATH'] ?? ''): boolean {
  return pathVariable
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * The same binding, whose `list()` rejects with `UdevadmMissingError` when `udevadm` is not on the
 * PATH (checked on every call: udev may be installed while the terminal runs).
 */
export function guardUdevadm(
  binding: SerialBinding,
  hasUdevadm: () => boolean = () => isOnPath('udevadm'),
): SerialBinding {
  return {
    open: (options) => binding.open(options),
    list: () => (hasUdevadm() ? binding.list() : Promise.reject(new UdevadmMissingError())),
  };
}

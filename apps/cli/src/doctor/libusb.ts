/**
 * Is libusb-1.0 installed (node-hid's native binding links it on Linux)? Looks in `ldconfig -p`
 * for libusb-1.0, else for the library file in the usual directories.
 * Missing → fail when a HID source is configured, else a warning; not Linux → skip.
 * `evaluateLibusb` is pure; `findLibusb` runs ldconfig (2 s timeout) and never throws.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

import { fail, pass, skip, warn } from './check-result.js';
import type { CheckResult } from './check-result.js';

export const LIBUSB_FILES = [
  '/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0',
  '/lib/x86_64-linux-gnu/libusb-1.0.so.0',
  '/usr/lib/aarch64-linux-gnu/libusb-1.0.so.0',
  '/lib/aarch64-linux-gnu/libusb-1.0.so.0',
  '/usr/lib/arm-linux-gnueabihf/libusb-1.0.so.0',
  '/usr/lib64/libusb-1.0.so.0',
  '/usr/lib/libusb-1.0.so.0',
];

const FIX = 'apt-get install libusb-1.0-0 (Fedora: dnf install libusbx)';

function ldconfig(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ldconfig', ['-p'], { timeout: 2_000 }, (error, stdout) => {
      resolve(error === null ? stdout : undefined);
    });
  });
}

/** Where libusb-1.0 was found (`ldconfig: <path>` or a file), or undefined. */
export async function findLibusb(
  deps: { ldconfig?: () => Promise<string | undefined>; exists?: (path: string) => boolean } = {},
): Promise<string | undefined> {
  const listing = await (deps.ldconfig ?? ldconfig)();
  const line = listing?.split('\n').find((entry) => entry.includes('libusb-1.0.so'));
  if (line !== undefined) return line.split('=>').at(-1)?.trim() ?? 'ldconfig';
  const exists = deps.exists ?? existsSync;
  return LIBUSB_FILES.find((file) => exists(file));
}

export function evaluateLibusb(
  found: string | undefined,
  context: { platform: NodeJS.Platform; hidConfigured: boolean },
): CheckResult {
  const name = 'libusb';
  if (context.platform !== 'linux') return skip(name, `not checked on ${context.platform}`);
  if (found !== undefined) return pass(name, `libusb-1.0 at ${found}`);
  return context.hidConfigured
    ? fail(name, 'libusb-1.0 not found: node-hid cannot load', FIX)
    : warn(name, 'libusb-1.0 not found (needed once a HID scanner is configured)', FIX);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

import type { MockBindingInterface } from '@serialport/binding-mock' with {
  'resolution-mode': 'require',
};
import { afterEach, describe, expect, it } from 'vitest';

import {
  guardUdevadm,
  isOnPath,
  listSerialPorts,
  UDEVADM_MISSING_MESSAGE,
  UdevadmMissingError,
} from './list-serial-ports.js';
import type { SerialBinding } from './serial-binding.js';

// The package's ESM entry ships no types: load its CommonJS build, typed.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingInterface;
};

function failingBinding(error: unknown): SerialBinding {
  return {
    open: (options) => MockBinding.open(options),
    list: () => Promise.reject(error instanceof Error ? error : new Error(String(error))),
  };
}

describe('listSerialPorts', () => {
  afterEach(() => {
    MockBinding.reset();
  });

  it('returns the listed ports', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { vendorId: '0403', productId: '6001' });
    const result = await listSerialPorts(MockBinding);
    expect(result.ok).toBe(true);
    expect(result.ok && result.ports.map((port) => port.path)).toEqual(['/dev/ttyUSB0']);
  });

  it('turns a missing udevadm into a clear message instead of throwing', async () => {
    const spawnError = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' });
    const result = await listSerialPorts(failingBinding(spawnError));
    expect(result).toMatchObject({
      ok: false,
      code: 'UDEVADM_MISSING',
      message: 'udevadm not found: install udev, or configure the port by path',
    });
  });

  it('reports other failures with their message', async () => {
    const result = await listSerialPorts(failingBinding(new Error('EACCES /sys/class/tty')));
    expect(result).toMatchObject({ ok: false, code: 'LIST_FAILED' });
    expect(!result.ok && result.message).toContain('EACCES /sys/class/tty');
  });

  it('guardUdevadm rejects before spawning when udevadm is not on the PATH', async () => {
    let listed = 0;
    const inner: SerialBinding = {
      open: (options) => MockBinding.open(options),
      list: () => {
        listed++;
        return Promise.resolve([]);
      },
    };
    const guarded = guardUdevadm(inner, () => false);
    await expect(guarded.list()).rejects.toBeInstanceOf(UdevadmMissingError);
    expect(listed).toBe(0);
    expect(await listSerialPorts(guarded)).toMatchObject({ message: UDEVADM_MISSING_MESSAGE });
    expect(await listSerialPorts(guardUdevadm(inner, () => true))).toEqual({ ok: true, ports: [] });
    expect(listed).toBe(1);
  });

  it('isOnPath finds executables only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-path-'));
    try {
      writeFileSync(join(dir, 'udevadm'), '#!/bin/sh\n', { mode: 0o755 });
      writeFileSync(join(dir, 'plain'), '', { mode: 0o644 });
      expect(isOnPath('udevadm', `/nonexistent:${dir}`)).toBe(true);
      expect(isOnPath('plain', dir)).toBe(false);
      expect(isOnPath('udevadm', '')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

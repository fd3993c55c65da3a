/**
 * Serial and HID access checks against injected port lists and access answers (no hardware):
 * the dialout and udev-rule fixes, missing devices, and an unavailable port list as a warning.
 */
import type { HidDeviceInfo, SerialPortInfo } from '@pos-ga4/terminal';
import { describe, expect, it } from 'vitest';

import type { AccessAnswer } from './file-access.js';
import { checkHidSources } from './hid-access.js';
import { checkSerialSources } from './serial-access.js';

const ok: AccessAnswer = { ok: true };
const denied: AccessAnswer = { ok: false, reason: 'denied', message: 'EACCES' };
const missing: AccessAnswer = { ok: false, reason: 'missing', message: 'ENOENT' };

function port(path: string, vendorId: string, productId: string): SerialPortInfo {
  return {
    path,
    vendorId,
    productId,
    manufacturer: undefined,
    serialNumber: undefined,
    pnpId: undefined,
    locationId: undefined,
  };
}

describe('checkSerialSources', () => {
  const base = { user: 'pos', listPorts: () => Promise.resolve({ ok: true as const, ports: [] }) };

  it('passes a readable and writable path; names dialout when denied', async () => {
    const [good] = await checkSerialSources([{ path: '/dev/ttyUSB0' }], {
      ...base,
      access: () => Promise.resolve(ok),
    });
    expect(good?.status).toBe('pass');
    const [bad] = await checkSerialSources([{ path: '/dev/ttyUSB0' }], {
      ...base,
      access: () => Promise.resolve(denied),
    });
    expect(bad).toMatchObject({ status: 'fail' });
    expect(bad?.fix).toContain('dialout');
    const [gone] = await checkSerialSources([{ path: '/dev/ttyUSB9' }], {
      ...base,
      access: () => Promise.resolve(missing),
    });
    expect(gone?.detail).toContain('does not exist');
  });

  it('finds a port by ids, and warns when ports cannot be listed', async () => {
    const seen: string[] = [];
    const [found] = await checkSerialSources([{ vendorId: '0403', productId: '6001' }], {
      user: 'pos',
      listPorts: () => Promise.resolve({ ok: true, ports: [port('/dev/ttyUSB3', '0403', '6001')] }),
      access: (path) => {
        seen.push(path);
        return Promise.resolve(ok);
      },
    });
    expect(found?.status).toBe('pass');
    expect(seen).toEqual(['/dev/ttyUSB3']);
    const [unlisted] = await checkSerialSources([{ vendorId: '0403', productId: '6001' }], {
      user: 'pos',
      listPorts: () => Promise.resolve({ ok: false, message: 'udevadm not found' }),
      access: () => Promise.resolve(ok),
    });
    expect(unlisted?.status).toBe('warn');
    expect(unlisted?.fix).toContain('udev');
  });
});

describe('checkHidSources', () => {
  const scanner: HidDeviceInfo = {
    vendorId: 0x0c2e,
    productId: 0x0b61,
    path: '/dev/hidraw3',
    usagePage: 1,
    usage: 6,
  };
  const source = { device: { vendorId: 0x0c2e, productId: 0x0b61 }, driver: 'hidraw' as const };

  it('passes when the scanner is listed and its hidraw node opens', async () => {
    const [result] = await checkHidSources([source], {
      user: 'pos',
      list: () => Promise.resolve([scanner]),
      access: () => Promise.resolve(ok),
      hidrawNodes: () => Promise.resolve(['/dev/hidraw3']),
    });
    expect(result?.status).toBe('pass');
  });

  it('points at the udev rule when hidraw nodes are locked', async () => {
    const [result] = await checkHidSources([source], {
      user: 'pos',
      list: () => Promise.resolve([]),
      access: () => Promise.resolve(denied),
      hidrawNodes: () => Promise.resolve(['/dev/hidraw3']),
    });
    expect(result?.status).toBe('fail');
    expect(result?.fix).toContain('deploy/udev/70-pos-ga4-scanners.rules');
  });

  it('says what to install when node-hid cannot enumerate', async () => {
    const [result] = await checkHidSources([source], {
      user: 'pos',
      list: () => Promise.reject(new Error('cannot load node-hid')),
      access: () => Promise.resolve(ok),
      hidrawNodes: () => Promise.resolve([]),
    });
    expect(result?.status).toBe('fail');
    expect(result?.fix).toContain('libusb-1.0-0');
  });
});

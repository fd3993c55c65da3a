import { createRequire } from 'node:module';

import type { MockBindingInterface } from '@serialport/binding-mock' with {
  'resolution-mode': 'require',
};
import { afterEach, describe, expect, it } from 'vitest';

import { matchSerialPorts, resolveSerialPath, stablePath } from './resolve-serial-path.js';
import type { SerialBinding, SerialPortInfo } from './serial-binding.js';

// The package's ESM entry ships no types: load its CommonJS build, typed.
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: MockBindingInterface;
};

function port(info: Partial<SerialPortInfo> & { path: string }): SerialPortInfo {
  return {
    manufacturer: undefined,
    serialNumber: undefined,
    pnpId: undefined,
    locationId: undefined,
    vendorId: undefined,
    productId: undefined,
    ...info,
  };
}

const listed = [
  port({
    path: '/dev/ttyUSB0',
    vendorId: '0403',
    productId: '6001',
    serialNumber: 'A1',
    pnpId: 'usb-FTDI_FT232R_USB_UART_A1-if00-port0',
  }),
  port({ path: '/dev/ttyUSB1', vendorId: '0403', productId: '6001', serialNumber: 'B2' }),
  port({ path: '/dev/ttyACM0', vendorId: '067B', productId: '2303' }),
];

const binding = (ports: readonly SerialPortInfo[]): SerialBinding => ({
  open: (options) => MockBinding.open(options),
  list: () => Promise.resolve([...ports]),
});

describe('resolveSerialPath', () => {
  afterEach(() => {
    MockBinding.reset();
  });

  it('returns a configured path without listing', async () => {
    const never: SerialBinding = {
      open: (options) => MockBinding.open(options),
      list: () => Promise.reject(new Error('must not list')),
    };
    expect(await resolveSerialPath({ selector: { path: '/tmp/ttyV0' }, binding: never })).toEqual({
      ok: true,
      path: '/tmp/ttyV0',
    });
  });

  it('matches ids case-insensitively', () => {
    expect(matchSerialPorts(listed, { vendorId: '067b', productId: '2303' })).toHaveLength(1);
    expect(matchSerialPorts(listed, { vendorId: '0403', productId: '6001' })).toHaveLength(2);
    expect(
      matchSerialPorts(listed, { vendorId: '0403', productId: '6001', serialNumber: 'B2' }),
    ).toEqual([listed[1]]);
  });

  it('prefers the /dev/serial/by-id link when udev made one', async () => {
    const result = await resolveSerialPath({
      selector: { vendorId: '0403', productId: '6001', serialNumber: 'A1' },
      binding: binding(listed),
      pathExists: (path) => path === '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A1-if00-port0',
    });
    expect(result).toMatchObject({
      ok: true,
      path: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A1-if00-port0',
    });
    const first = listed[0];
    expect(first && stablePath(first, () => false)).toBe('/dev/ttyUSB0');
    expect(stablePath(port({ path: 'COM3', pnpId: 'USB\\VID_0403' }), () => true)).toBe('COM3');
  });

  it('refuses an ambiguous match and names the candidates', async () => {
    const result = await resolveSerialPath({
      selector: { vendorId: '0403', productId: '6001' },
      binding: binding(listed),
    });
    expect(result).toMatchObject({ ok: false, kind: 'ambiguous' });
    expect(!result.ok && result.message).toContain('/dev/ttyUSB0 (0403:6001 serial A1)');
    expect(!result.ok && result.message).toContain('add serialNumber');
  });

  it('says which ports were listed when none matches', async () => {
    MockBinding.createPort('/dev/ttyS0');
    const result = await resolveSerialPath({
      selector: { vendorId: '1a86', productId: '7523' },
      binding: MockBinding,
    });
    expect(result).toEqual({
      ok: false,
      kind: 'not-found',
      message: 'no serial port matches vendorId 1a86, productId 7523 (listed: /dev/ttyS0)',
    });
  });

  it('passes a listing failure on as list-failed', async () => {
    const broken: SerialBinding = {
      open: (options) => MockBinding.open(options),
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
    };
    expect(
      await resolveSerialPath({
        selector: { vendorId: '1a86', productId: '7523' },
        binding: broken,
      }),
    ).toEqual({
      ok: false,
      kind: 'list-failed',
      message: 'udevadm not found: install udev, or configure the port by path',
    });
  });
});

/**
 * `pos-ga4 devices` on this machine (whatever it has: often no udevadm and no USB devices): exit 0,
 * no stack trace, the JSON shape; and with injected listings, the udevadm and node-hid messages
 * and the printer/scanner marks.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import { captureOutput } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

import { devicesCommand } from '../src/commands/devices.js';
import type { DeviceListing, DeviceListingDeps } from '../src/doctor/device-listing.js';

function onPath(name: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function devices(
  args: string[],
  deps?: DeviceListingDeps,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let code = 0;
  const captured = await captureOutput(async () => {
    const command = devicesCommand((c) => {
      code = Math.max(code, c);
    }, deps).exitOverride();
    await command.parseAsync(['node', 'devices', ...args]);
  });
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

describe('pos-ga4 devices', () => {
  it('lists what this machine has without failing', async () => {
    const text = await devices([]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Serial ports:');
    expect(text.stdout).toContain('HID devices:');
    expect(text.stdout).toMatch(
      onPath('udevadm') ? /Serial ports:/ : /udevadm not found.*apt-get install udev/,
    );
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/\n\s+at /);

    const json = await devices(['--json']);
    expect(json.code).toBe(0);
    const listing = JSON.parse(json.stdout) as DeviceListing;
    expect(Object.keys(listing).sort()).toEqual(['hid', 'serial']);
    expect(listing.serial).toMatchObject({
      available: expect.any(Boolean) as unknown,
      ports: expect.any(Array) as unknown,
    });
    expect(listing.hid).toMatchObject({
      available: expect.any(Boolean) as unknown,
      devices: expect.any(Array) as unknown,
    });
  });

  it('says what to install when udevadm and node-hid are missing, exit 0', async () => {
    const run = await devices([], {
      listSerial: () =>
        Promise.resolve({
          ok: false,
          code: 'UDEVADM_MISSING',
          message: 'udevadm not found: install udev, or configure the port by path',
        }),
      listHid: () =>
        Promise.reject(
          new Error('cannot load node-hid: libusb-1.0.so.0: cannot open shared object'),
        ),
      readDir: (dir) => Promise.resolve(dir === '/dev' ? ['ttyUSB0', 'tty1'] : []),
      canOpen: () => Promise.resolve(true),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('udevadm not found');
    expect(run.stdout).toContain('device nodes: /dev/ttyUSB0');
    expect(run.stdout).toContain('apt-get install libudev1 libusb-1.0-0');
  });

  it('marks likely printers and scanners', async () => {
    const run = await devices(['--json'], {
      listSerial: () =>
        Promise.resolve({
          ok: true,
          ports: [
            {
              path: '/dev/ttyUSB0',
              vendorId: '0403',
              productId: '6001',
              manufacturer: 'FTDI',
              serialNumber: 'A1',
              pnpId: 'usb-FTDI_A1-if00-port0',
              locationId: undefined,
            },
          ],
        }),
      listHid: () =>
        Promise.resolve([
          { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw0', usagePage: 0x8c, usage: 2 },
          { vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw1', usagePage: 1, usage: 6 },
        ]),
      readDir: () => Promise.resolve([]),
      canOpen: () => Promise.resolve(true),
    });
    const listing = JSON.parse(run.stdout) as DeviceListing;
    expect(listing.serial.ports[0]).toMatchObject({
      path: '/dev/ttyUSB0',
      vendorId: '0403',
      likely: 'printer',
    });
    expect(listing.hid.devices.map((d) => [d.path, d.usagePage, d.likely])).toEqual([
      ['/dev/hidraw0', '008c', 'scanner'],
      ['/dev/hidraw1', '0001', null],
    ]);
    const text = await devices([], {
      listSerial: () => Promise.resolve({ ok: true, ports: [] }),
      listHid: () =>
        Promise.resolve([
          { vendorId: 0x05e0, productId: 0x1200, path: '/dev/hidraw0', usagePage: 1, usage: 6 },
        ]),
      readDir: () => Promise.resolve(['hidraw0']),
      canOpen: () => Promise.resolve(false),
    });
    expect(text.stdout).toMatch(/05e0:1200 .*likely scanner: Zebra/);
    expect(text.stdout).toContain('70-pos-ga4-scanners.rules');
  });

  it('has --help with examples', async () => {
    const captured = await captureOutput(async () => {
      await devicesCommand(() => undefined)
        .exitOverride()
        .parseAsync(['node', 'devices', '--help'])
        .catch(() => undefined);
    });
    expect(captured.stdout).toContain('Examples:');
  });
});

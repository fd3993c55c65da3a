import { describe, expect, it } from 'vitest';

import { HidScannerSourceSchema } from './hid-scanner-config.js';

describe('HidScannerSourceSchema', () => {
  it('fills defaults and reads USB ids as numbers or lsusb hex', () => {
    expect(
      HidScannerSourceSchema.parse({ type: 'hid', device: { vendorId: '0c2e', productId: 2913 } }),
    ).toEqual({
      type: 'hid',
      device: { vendorId: 0x0c2e, productId: 2913 },
      mode: 'keyboard',
      layout: 'us',
      terminators: ['enter'],
      interScanTimeoutMs: 100,
      driver: 'hidraw',
    });
    expect(
      HidScannerSourceSchema.parse({
        type: 'hid',
        device: { usagePage: '0x8c' },
        mode: 'pos',
        driver: 'libusb',
      }).device,
    ).toEqual({ usagePage: 0x8c });
  });

  it('names what is wrong', () => {
    const empty = HidScannerSourceSchema.safeParse({ type: 'hid', device: {} });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.message).toMatch(/needs vendorId/);
    const layout = HidScannerSourceSchema.safeParse({
      type: 'hid',
      device: { path: '/dev/hidraw1' },
      layout: 'fr',
    });
    expect(layout.error?.issues[0]?.path).toEqual(['layout']);
    expect(
      HidScannerSourceSchema.safeParse({ type: 'hid', device: { vendorId: 'xyz' } }).success,
    ).toBe(false);
  });
});

/**
 * The real node-hid provider on whatever this machine has (usually no HID devices, or no access
 * to them): it must answer, never crash. node-hid is not stubbed.
 */
import { describe, expect, it } from 'vitest';

import { HidUnavailableError, nodeHidProvider } from './node-hid-provider.js';

describe('nodeHidProvider (real node-hid)', () => {
  it('lists HID interfaces, or says clearly why it cannot', async () => {
    const outcome = await nodeHidProvider()
      .list()
      .then(
        (devices) => ({ devices, error: undefined }),
        (error: unknown) => ({ devices: [], error }),
      );
    expect(outcome.error === undefined || outcome.error instanceof HidUnavailableError).toBe(true);
    const message = outcome.error instanceof Error ? outcome.error.message : 'libudev';
    expect(message).toMatch(/libudev|libusb|binding/);
    for (const device of outcome.devices) {
      expect(Number.isInteger(device.vendorId)).toBe(true);
      expect(Object.values(device)).not.toContain(undefined);
    }
  });

  it('rejects opening a device that is not there', async () => {
    const provider = nodeHidProvider();
    await expect(
      provider.open({ vendorId: 0xffff, productId: 0xfffe, path: '/dev/hidraw-pos-ga4-none' }),
    ).rejects.toBeInstanceOf(Error);
  });
});

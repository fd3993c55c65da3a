import { describe, expect, it } from 'vitest';

import { FakeHidProvider, hidPosReports, usKeyboardReports } from './fake-hid-device.js';

const INFO = { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw3' };

describe('FakeHidProvider', () => {
  it('lists what is plugged in and opens it, counting opens and closes', async () => {
    const provider = new FakeHidProvider();
    expect(await provider.list()).toEqual([]);
    await expect(provider.open(INFO)).rejects.toThrow(/could not open/);
    provider.plug(INFO);
    expect(await provider.list()).toEqual([INFO]);
    const opening = provider.nextOpen();
    const device = await provider.open(INFO);
    expect(await opening).toBe(device);
    expect(provider.current).toBe(device);
    await device.close();
    await device.close();
    expect([provider.listCount, provider.openCount, provider.closeCount]).toEqual([2, 2, 1]);
    expect(provider.current).toBeUndefined();
  });

  it('delivers reports until an error (unplug) or close', async () => {
    const provider = new FakeHidProvider([INFO]);
    const device = await provider.open(INFO);
    const reports: string[] = [];
    const errors: string[] = [];
    device.on('data', (r) => {
      reports.push(r.toString('hex'));
    });
    device.on('error', (e) => {
      errors.push(e.message);
    });
    expect(device.emitReport('02 00 04 00 00 00 00 00')).toBe(true);
    expect(device.emitReport([0, 0, 0, 0, 0, 0, 0, 0])).toBe(true);
    provider.unplug('/dev/hidraw3');
    expect(device.emitReport('00')).toBe(false);
    expect(reports).toEqual(['0200040000000000', '0000000000000000']);
    expect(errors).toEqual(['could not read from HID device']);
    expect(await provider.list()).toEqual([]);
    const other = new FakeHidProvider([INFO]);
    other.failNextList(new Error('boom'));
    await expect(other.list()).rejects.toThrow('boom');
    expect(await other.list()).toEqual([INFO]);
  });
});

describe('report builders', () => {
  it('types text on the US layout', () => {
    const hex = usKeyboardReports('aZ1!~\n').map((r) => r.toString('hex'));
    expect(hex.filter((_, i) => i % 2 === 0)).toEqual([
      '0000040000000000',
      '02001d0000000000',
      '00001e0000000000',
      '02001e0000000000',
      '0200350000000000',
      '0000280000000000',
    ]);
    expect(hex.filter((_, i) => i % 2 === 1).every((h) => h === '0000000000000000')).toBe(true);
    expect(() => usKeyboardReports('é')).toThrow(TypeError);
  });

  it('builds continued HID POS reports', () => {
    const reports = hidPosReports('x'.repeat(60), { symbology: ']Q1' });
    expect(reports.map((r) => [r.length, r[0], r[1], r.at(-1)])).toEqual([
      [64, 2, 58, 1],
      [64, 2, 2, 0],
    ]);
    expect(reports[0]?.subarray(2, 5).toString()).toBe(']Q1');
    expect(reports[1]?.subarray(2, 5)).toEqual(Buffer.alloc(3));
    expect(hidPosReports('')).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';

import type { HidDeviceInfo } from './hid-device.js';
import {
  describeHidDevice,
  describeHidSelector,
  selectHidDevice,
  validateHidSelector,
} from './hid-device-selector.js';

const MOUSE: HidDeviceInfo = { vendorId: 0x046d, productId: 0xc077, path: '/dev/hidraw0' };
const SCANNER_KBD: HidDeviceInfo = {
  vendorId: 0x0c2e,
  productId: 0x0b61,
  path: '/dev/hidraw5',
  usagePage: 0x01,
  usage: 0x06,
  serialNumber: 'A1',
  manufacturer: 'Honeywell',
  product: '1950g',
};
const SCANNER_VENDOR: HidDeviceInfo = { ...SCANNER_KBD, path: '/dev/hidraw2', usagePage: 0xff00 };
const SCANNER_POS: HidDeviceInfo = {
  ...SCANNER_KBD,
  path: '/dev/hidraw7',
  usagePage: 0x8c,
  usage: 2,
};
const OTHER_SCANNER: HidDeviceInfo = { ...SCANNER_KBD, path: '/dev/hidraw9', serialNumber: 'B2' };
const ALL = [MOUSE, SCANNER_VENDOR, SCANNER_KBD, SCANNER_POS, OTHER_SCANNER];

describe('selectHidDevice', () => {
  it('selects by vendor/product id, preferring the interface that fits the mode', () => {
    const selector = { vendorId: 0x0c2e, productId: 0x0b61 };
    expect(selectHidDevice(ALL, selector, 'keyboard')).toBe(SCANNER_KBD);
    expect(selectHidDevice(ALL, selector, 'pos')).toBe(SCANNER_POS);
    expect(selectHidDevice(ALL, { ...selector, serialNumber: 'B2' }, 'keyboard')).toBe(
      OTHER_SCANNER,
    );
    expect(selectHidDevice([SCANNER_VENDOR], selector, 'pos')).toBe(SCANNER_VENDOR);
  });

  it('selects by path or by usage page', () => {
    expect(selectHidDevice(ALL, { path: '/dev/hidraw0' }, 'keyboard')).toBe(MOUSE);
    expect(selectHidDevice(ALL, { usagePage: 0x8c }, 'keyboard')).toBe(SCANNER_POS);
    expect(selectHidDevice(ALL, { usagePage: 0x8c, usage: 3 }, 'pos')).toBeUndefined();
    expect(selectHidDevice([], { vendorId: 1 }, 'pos')).toBeUndefined();
  });

  it('is stable: among equal candidates the lowest path wins', () => {
    const a = selectHidDevice([OTHER_SCANNER, SCANNER_KBD], { vendorId: 0x0c2e }, 'keyboard');
    const b = selectHidDevice([SCANNER_KBD, OTHER_SCANNER], { vendorId: 0x0c2e }, 'keyboard');
    expect([a, b]).toEqual([SCANNER_KBD, SCANNER_KBD]);
  });
});

describe('validateHidSelector', () => {
  it('needs vendorId, path or usagePage, and consistent fields', () => {
    expect(() => validateHidSelector({})).toThrow(/needs vendorId/);
    expect(() => validateHidSelector({ productId: 1 })).toThrow(TypeError);
    expect(() => validateHidSelector({ vendorId: 1, usage: 6 })).toThrow(/usagePage/);
    expect(() => validateHidSelector({ vendorId: 0x10000 })).toThrow(/0-0xffff/);
    expect(() => validateHidSelector({ path: '' })).toThrow(TypeError);
    expect(validateHidSelector({ usagePage: 0x8c })).toEqual({ usagePage: 0x8c });
  });
});

describe('describeHidSelector and describeHidDevice', () => {
  it('renders ids in hex like lsusb', () => {
    expect(describeHidSelector({ vendorId: 0x0c2e, productId: 0x0b61 })).toBe('0c2e:0b61');
    expect(describeHidSelector({ usagePage: 0x8c, path: '/dev/x' })).toBe(
      'usage 008c:* path /dev/x',
    );
    expect(describeHidDevice(SCANNER_POS)).toBe(
      '0c2e:0b61 usage 008c:0002 /dev/hidraw7 (Honeywell 1950g)',
    );
    expect(describeHidDevice(MOUSE)).toBe('046d:c077 /dev/hidraw0');
  });
});

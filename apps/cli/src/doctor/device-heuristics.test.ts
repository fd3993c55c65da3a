/**
 * The printer/scanner hints of `pos-ga4 devices`: USB-serial bridges and printer vendors mark
 * serial ports as printers, HID usage page 0x8C or a scanner vendor's keyboard marks scanners.
 */
import { describe, expect, it } from 'vitest';

import { guessHidRole, guessSerialRole, normaliseUsbId } from './device-heuristics.js';

describe('normaliseUsbId', () => {
  it.each([
    ['0403', '0403'],
    ['0X04B8', '04b8'],
    ['403', '0403'],
    [0x0c2e, '0c2e'],
    ['usb', undefined],
    [70000, undefined],
    [undefined, undefined],
  ] as const)('%s → %s', (input, expected) => {
    expect(normaliseUsbId(input)).toBe(expected);
  });
});

describe('guessSerialRole', () => {
  it.each(['0403', '067b', '1A86', '10c4', '04b8', '0519', '1504', '1d90'])(
    'marks vendor %s as a printer',
    (vendorId) => {
      expect(guessSerialRole(vendorId).role).toBe('printer');
    },
  );

  it('names the bridge', () => {
    expect(guessSerialRole('0403').reason).toContain('FTDI');
    expect(guessSerialRole('04b8').reason).toContain('Epson');
  });

  it('marks a scanner vendor in USB-COM mode as a scanner', () => {
    expect(guessSerialRole('0c2e').role).toBe('scanner');
  });

  it('leaves unknown vendors and built-in UARTs unmarked', () => {
    expect(guessSerialRole('8086').role).toBeUndefined();
    expect(guessSerialRole(undefined)).toEqual({ role: undefined, reason: 'no USB vendor id' });
  });
});

describe('guessHidRole', () => {
  it('marks any HID POS scanner interface (usage page 0x8C)', () => {
    expect(guessHidRole({ vendorId: 0x1234, usagePage: 0x8c, usage: 0x02 }).role).toBe('scanner');
  });

  it.each([0x0c2e, 0x05e0, 0x05f9, 0x1eab])(
    'marks the keyboard interface of scanner vendor %i',
    (vendorId) => {
      expect(guessHidRole({ vendorId, usagePage: 0x01, usage: 0x06 }).role).toBe('scanner');
    },
  );

  it('does not mark an ordinary keyboard or a scanner vendor’s other interfaces', () => {
    expect(guessHidRole({ vendorId: 0x046d, usagePage: 0x01, usage: 0x06 }).role).toBeUndefined();
    expect(guessHidRole({ vendorId: 0x0c2e, usagePage: 0xff00, usage: 0x01 }).role).toBeUndefined();
    expect(guessHidRole({ vendorId: 0x0c2e }).role).toBeUndefined();
  });
});

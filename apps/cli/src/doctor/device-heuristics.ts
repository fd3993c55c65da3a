/**
 * Which listed device is probably the receipt printer tap and which the barcode scanner, for
 * `pos-ga4 devices`. Heuristics only: a hint for the operator, never used to pick a device.
 *
 * - Serial ports: USB-serial bridges (FTDI 0403, Prolific 067b, CH340 1a86, Silicon Labs 10c4)
 *   and printer vendors (Epson 04b8, Star 0519, Bixolon 1504, Citizen 1d90) → `printer`;
 *   scanner vendors in USB-COM mode → `scanner`.
 * - HID interfaces: usage page 0x8C (Bar Code Scanner) → `scanner`; a keyboard collection
 *   (usage page 0x01, usage 0x06) from a scanner vendor (Honeywell 0c2e, Zebra/Symbol 05e0,
 *   Datalogic 05f9, Newland 1eab) → `scanner`.
 * Input ids: serial ports give 4 hex digits as strings (any case), HID gives numbers.
 * Output: `{ role, reason }` with role `printer` | `scanner` | undefined. Pure.
 */

export type DeviceRole = 'printer' | 'scanner';

export interface DeviceGuess {
  readonly role: DeviceRole | undefined;
  readonly reason: string;
}

export const USB_SERIAL_BRIDGES: Readonly<Record<string, string>> = {
  '0403': 'FTDI',
  '067b': 'Prolific',
  '1a86': 'QinHeng CH340',
  '10c4': 'Silicon Labs',
};

export const PRINTER_VENDORS: Readonly<Record<string, string>> = {
  '04b8': 'Epson',
  '0519': 'Star Micronics',
  '1504': 'Bixolon',
  '1d90': 'Citizen',
};

export const SCANNER_VENDORS: Readonly<Record<string, string>> = {
  '0c2e': 'Honeywell',
  '05e0': 'Zebra/Symbol',
  '05f9': 'Datalogic',
  '1eab': 'Newland',
};

const USAGE_PAGE_BAR_CODE_SCANNER = 0x8c;
const USAGE_PAGE_GENERIC_DESKTOP = 0x01;
const USAGE_KEYBOARD = 0x06;

/** A USB id as 4 lowercase hex digits (`0x0403`, `403`, 1027 → `0403`); undefined when not one. */
export function normaliseUsbId(id: string | number | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (typeof id === 'number') {
    return Number.isInteger(id) && id >= 0 && id <= 0xffff
      ? id.toString(16).padStart(4, '0')
      : undefined;
  }
  const hex = id.trim().toLowerCase().replace(/^0x/, '');
  return /^[0-9a-f]{1,4}$/.test(hex) ? hex.padStart(4, '0') : undefined;
}

function lookup(table: Readonly<Record<string, string>>, id: string): string | undefined {
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

export function guessSerialRole(vendorId: string | undefined): DeviceGuess {
  const id = normaliseUsbId(vendorId);
  if (id === undefined) return { role: undefined, reason: 'no USB vendor id' };
  const bridge = lookup(USB_SERIAL_BRIDGES, id);
  if (bridge !== undefined) {
    return { role: 'printer', reason: `${bridge} USB-serial bridge (${id}), a usual printer tap` };
  }
  const printer = lookup(PRINTER_VENDORS, id);
  if (printer !== undefined) return { role: 'printer', reason: `${printer} printer (${id})` };
  const scanner = lookup(SCANNER_VENDORS, id);
  if (scanner !== undefined) {
    return { role: 'scanner', reason: `${scanner} scanner in USB serial mode (${id})` };
  }
  return { role: undefined, reason: `vendor ${id} is not a known printer or bridge` };
}

export interface HidIds {
  readonly vendorId: number;
  readonly usagePage?: number | undefined;
  readonly usage?: number | undefined;
}

export function guessHidRole(device: HidIds): DeviceGuess {
  if (device.usagePage === USAGE_PAGE_BAR_CODE_SCANNER) {
    return { role: 'scanner', reason: 'HID POS bar code scanner interface (usage page 0x8C)' };
  }
  const id = normaliseUsbId(device.vendorId) ?? '????';
  const vendor = lookup(SCANNER_VENDORS, id);
  const keyboard =
    device.usagePage === USAGE_PAGE_GENERIC_DESKTOP && device.usage === USAGE_KEYBOARD;
  if (vendor !== undefined && keyboard) {
    return {
      role: 'scanner',
      reason: `${vendor} scanner in keyboard mode (${id}, usage 0x01/0x06)`,
    };
  }
  if (vendor !== undefined) {
    return { role: undefined, reason: `${vendor} (${id}), but not its keyboard or POS interface` };
  }
  return {
    role: undefined,
    reason: keyboard ? 'a keyboard from an unknown vendor' : 'not a scanner interface',
  };
}

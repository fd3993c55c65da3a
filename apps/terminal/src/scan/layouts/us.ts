/**
 * US English (QWERTY) keyboard layout as data.
 *
 * Inputs: none. Outputs: `US_LAYOUT`. Errors: none. Lifecycle: static data.
 * Source: HID Usage Tables 1.21 Keyboard/Keypad page; the US mapping matches the one fixture-tested
 * in imyelo/hid-scanner `lib/keymap.raw.json`. 0x32 (Non-US #) and 0x64 (Non-US \) type `\` `|`
 * on a US host, like 0x31.
 */
import type { KeyboardLayout, LayoutEntry } from './keyboard-layout.js';

const letters: readonly LayoutEntry[] = Array.from('abcdefghijklmnopqrstuvwxyz', (letter, i) => [
  0x04 + i,
  letter,
  letter.toUpperCase(),
]);

const entries: readonly LayoutEntry[] = [
  ...letters,
  [0x1e, '1', '!'],
  [0x1f, '2', '@'],
  [0x20, '3', '#'],
  [0x21, '4', '$'],
  [0x22, '5', '%'],
  [0x23, '6', '^'],
  [0x24, '7', '&'],
  [0x25, '8', '*'],
  [0x26, '9', '('],
  [0x27, '0', ')'],
  [0x2c, ' ', ' '],
  [0x2d, '-', '_'],
  [0x2e, '=', '+'],
  [0x2f, '[', '{'],
  [0x30, ']', '}'],
  [0x31, '\\', '|'],
  [0x32, '\\', '|'],
  [0x33, ';', ':'],
  [0x34, "'", '"'],
  [0x35, '`', '~'],
  [0x36, ',', '<'],
  [0x37, '.', '>'],
  [0x38, '/', '?'],
  [0x64, '\\', '|'],
  // Keypad (NumLock on): many scanners send digits and - * + from here.
  [0x54, '/'],
  [0x55, '*'],
  [0x56, '-'],
  [0x57, '+'],
  [0x59, '1'],
  [0x5a, '2'],
  [0x5b, '3'],
  [0x5c, '4'],
  [0x5d, '5'],
  [0x5e, '6'],
  [0x5f, '7'],
  [0x60, '8'],
  [0x61, '9'],
  [0x62, '0'],
  [0x63, '.'],
  [0x67, '='],
];

export const US_LAYOUT: KeyboardLayout = {
  name: 'us',
  hasAltGr: false,
  entries,
  deadKeys: {},
};

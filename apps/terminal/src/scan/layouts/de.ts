/**
 * German (QWERTZ, DIN 2137 T1 as on Windows) keyboard layout as data.
 *
 * Inputs: none. Outputs: `DE_LAYOUT`. Errors: none. Lifecycle: static data.
 * Differences from US: Y/Z swapped; ß ? \ on the US `-` key; ´ ` (dead) on `=`; ü ö ä on `[` `;`
 * `'`; + * ~ on `]`; # ' on the US `\` and Non-US `#` keys; ^ ° (^ dead) on the US grave key;
 * - _ on `/`; < > | on the Non-US `\` key (0x64); Shift+2 = ", Shift+3 = §, Shift+6 = &,
 * Shift+7 = /, Shift+8 = (, Shift+9 = ), Shift+0 = =; AltGr+Q = @, AltGr+E = €, AltGr+M = µ,
 * AltGr+2/3 = ² ³, AltGr+7/8/9/0 = { [ ] }; keypad decimal types `,`.
 */
import type { KeyboardLayout, LayoutEntry } from './keyboard-layout.js';

const letters: readonly LayoutEntry[] = Array.from('abcdefghijklmnopqrstuvwxzy', (letter, i) => {
  // 0x1C is the US Y key (German Z), 0x1D the US Z key (German Y): the string above swaps them.
  const usage = 0x04 + i;
  if (letter === 'q') return [usage, 'q', 'Q', '@'];
  if (letter === 'e') return [usage, 'e', 'E', '€'];
  if (letter === 'm') return [usage, 'm', 'M', 'µ'];
  return [usage, letter, letter.toUpperCase()];
});

const entries: readonly LayoutEntry[] = [
  ...letters,
  [0x1e, '1', '!'],
  [0x1f, '2', '"', '²'],
  [0x20, '3', '§', '³'],
  [0x21, '4', '$'],
  [0x22, '5', '%'],
  [0x23, '6', '&'],
  [0x24, '7', '/', '{'],
  [0x25, '8', '(', '['],
  [0x26, '9', ')', ']'],
  [0x27, '0', '=', '}'],
  [0x2c, ' ', ' '],
  [0x2d, 'ß', '?', '\\'],
  [0x2e, '´', '`'],
  [0x2f, 'ü', 'Ü'],
  [0x30, '+', '*', '~'],
  [0x31, '#', "'"],
  [0x32, '#', "'"],
  [0x33, 'ö', 'Ö'],
  [0x34, 'ä', 'Ä'],
  [0x35, '^', '°'],
  [0x36, ',', ';'],
  [0x37, '.', ':'],
  [0x38, '-', '_'],
  [0x64, '<', '>', '|'],
  // Keypad (NumLock on).
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
  [0x63, ','],
  [0x67, '='],
];

export const DE_LAYOUT: KeyboardLayout = {
  name: 'de',
  hasAltGr: true,
  entries,
  deadKeys: { '^': '\u0302', '´': '\u0301', '`': '\u0300' },
};

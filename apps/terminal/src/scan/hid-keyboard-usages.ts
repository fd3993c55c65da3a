/**
 * Keyboard/Keypad usage page (0x07) constants for boot-keyboard reports, and names for the
 * non-printing keys a barcode scanner may send.
 *
 * Inputs: none (data only). Outputs: usage ids, modifier bit masks and `usageName()` for warnings.
 * Errors: none. Lifecycle: static data. Source: HID Usage Tables 1.21, Keyboard/Keypad page.
 */

/** Modifier byte (byte 0 of a boot report) bit masks. */
export const MODIFIER = {
  leftCtrl: 0x01,
  leftShift: 0x02,
  leftAlt: 0x04,
  leftGui: 0x08,
  rightCtrl: 0x10,
  rightShift: 0x20,
  /** Right Alt: AltGr on layouts that have one (German). */
  rightAlt: 0x40,
  rightGui: 0x80,
} as const;

export const USAGE = {
  /** Phantom state: too many keys down; the report's key slots are meaningless. */
  errorRollOver: 0x01,
  postFail: 0x02,
  errorUndefined: 0x03,
  enter: 0x28,
  tab: 0x2b,
  keypadEnter: 0x58,
  /** Keypad 1..9 are 0x59..0x61, keypad 0 is 0x62. */
  keypad1: 0x59,
  keypad0: 0x62,
  /** 0xE0..0xE7 are the modifiers, repeated as key usages by some devices. */
  firstModifier: 0xe0,
  lastModifier: 0xe7,
} as const;

const NON_PRINTING: Readonly<Record<number, string>> = {
  0x29: 'Escape',
  0x2a: 'Backspace',
  0x39: 'CapsLock',
  0x3a: 'F1',
  0x3b: 'F2',
  0x3c: 'F3',
  0x3d: 'F4',
  0x3e: 'F5',
  0x3f: 'F6',
  0x40: 'F7',
  0x41: 'F8',
  0x42: 'F9',
  0x43: 'F10',
  0x44: 'F11',
  0x45: 'F12',
  0x46: 'PrintScreen',
  0x47: 'ScrollLock',
  0x48: 'Pause',
  0x49: 'Insert',
  0x4a: 'Home',
  0x4b: 'PageUp',
  0x4c: 'Delete',
  0x4d: 'End',
  0x4e: 'PageDown',
  0x4f: 'Right',
  0x50: 'Left',
  0x51: 'Down',
  0x52: 'Up',
  0x53: 'NumLock',
  0x65: 'Application',
  0x66: 'Power',
  0x68: 'F13',
  0x69: 'F14',
  0x6a: 'F15',
  0x6b: 'F16',
  0x6c: 'F17',
  0x6d: 'F18',
  0x6e: 'F19',
  0x6f: 'F20',
  0x70: 'F21',
  0x71: 'F22',
  0x72: 'F23',
  0x73: 'F24',
};

/** `0x51 (Down)` for known non-printing keys, `0xe8` otherwise. */
export function usageName(usage: number): string {
  const hex = `0x${usage.toString(16).padStart(2, '0')}`;
  const name = NON_PRINTING[usage];
  return name === undefined ? hex : `${hex} (${name})`;
}

export function isNonPrintingUsage(usage: number): boolean {
  return NON_PRINTING[usage] !== undefined;
}

export function isModifierUsage(usage: number): boolean {
  return usage >= USAGE.firstModifier && usage <= USAGE.lastModifier;
}

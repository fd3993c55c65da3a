/**
 * The keyboard layouts a scanner can be configured for, by short name (config files, CLI).
 *
 * Input: a name (`us`, `de`). Output: the `KeyboardLayout`, or `undefined` for an unknown name;
 * `KEYBOARD_LAYOUT_NAMES` lists the known names (for option choices and schemas).
 * Errors: none. Lifecycle: static data.
 */
import { DE_LAYOUT } from './de.js';
import type { KeyboardLayout } from './keyboard-layout.js';
import { US_LAYOUT } from './us.js';

export const KEYBOARD_LAYOUT_NAMES = ['us', 'de'] as const;
export type KeyboardLayoutName = (typeof KEYBOARD_LAYOUT_NAMES)[number];

const LAYOUTS: Readonly<Record<KeyboardLayoutName, KeyboardLayout>> = {
  us: US_LAYOUT,
  de: DE_LAYOUT,
};

export function isKeyboardLayoutName(name: string): name is KeyboardLayoutName {
  return (KEYBOARD_LAYOUT_NAMES as readonly string[]).includes(name);
}

export function keyboardLayoutByName(name: string): KeyboardLayout | undefined {
  return isKeyboardLayoutName(name) ? LAYOUTS[name] : undefined;
}

/**
 * The shape of a keyboard layout table: which character the host would type for a usage id
 * (Keyboard/Keypad page 0x07) at each shift level.
 *
 * Inputs: none (types only). Outputs: `KeyboardLayout`, `LayoutEntry`.
 * Errors: none. Lifecycle: layouts are static data (`us.ts`, `de.ts`); the decoder indexes them.
 */

/**
 * `[usage, base, shift?, altGr?, shiftAltGr?]`. A missing level means the key types nothing at
 * that level (the decoder records a warning). Keypad keys ignore Shift (NumLock is assumed on).
 */
export type LayoutEntry = readonly [
  usage: number,
  base: string,
  shift?: string,
  altGr?: string,
  shiftAltGr?: string,
];

export interface KeyboardLayout {
  /** Short id, e.g. `us`, `de`. */
  readonly name: string;
  /** Whether Right Alt (modifier bit 0x40) is AltGr. If false, Right Alt is a plain Alt. */
  readonly hasAltGr: boolean;
  readonly entries: readonly LayoutEntry[];
  /**
   * Characters that are dead keys on this layout, mapped to the combining mark they add to the
   * next character (`^` → U+0302). Dead key + Space types the character itself.
   */
  readonly deadKeys: Readonly<Record<string, string>>;
}

/**
 * GA4's text limits, counted the way Google counts: in UTF-16 code units (JavaScript's
 * `String.length`, what Google's Event Builder checks), so an emoji counts 2. One function for
 * the mapper, which cuts, and the validator, which checks. Pure.
 *
 * `truncateText` never cuts a surrogate pair in half (a lone surrogate is not valid UTF-8 on the
 * wire), and trims whitespace left dangling at the cut.
 */

/** Length as GA4 counts it: UTF-16 code units. */
export function textLength(text: string): number {
  return text.length;
}

export interface Truncated {
  readonly text: string;
  /** Whether anything was cut. */
  readonly truncated: boolean;
}

export function truncateText(text: string, max: number): Truncated {
  if (textLength(text) <= max) return { text, truncated: false };
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  // a high surrogate at the cut would leave half a character: cut before it
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return { text: text.slice(0, end).trimEnd(), truncated: true };
}

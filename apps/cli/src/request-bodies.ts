/**
 * Splits `ga4 validate` input into request bodies. Pure.
 * - The whole text parses as JSON: one body (a pretty-printed body spans many lines).
 * - Otherwise, when it has several non-blank lines and at least one of them is a JSON object on
 *   its own: JSON lines (what `ga4 map` prints), one body per non-blank line, numbered from 1 by
 *   its line in the input.
 * - Otherwise one body, the whole text (so a broken pretty-printed body gets one syntax error,
 *   not one per line).
 */
export interface RequestBodyText {
  /** 1-based line of the input the body starts on. */
  readonly line: number;
  readonly text: string;
}

export interface SplitBodies {
  readonly bodies: readonly RequestBodyText[];
  /** True when the input was read as JSON lines. */
  readonly jsonLines: boolean;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isJsonObject(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.startsWith('{') && parses(trimmed);
}

export function splitRequestBodies(text: string): SplitBodies {
  const whole: SplitBodies = { bodies: [{ line: 1, text }], jsonLines: false };
  if (parses(text)) return whole;
  const lines = text
    .split('\n')
    .map((line, index) => ({ line: index + 1, text: line.replace(/\r$/, '') }))
    .filter((line) => line.text.trim() !== '');
  if (lines.length < 2 || !lines.some((line) => isJsonObject(line.text))) return whole;
  return { bodies: lines, jsonLines: true };
}

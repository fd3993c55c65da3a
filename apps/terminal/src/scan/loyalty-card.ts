/**
 * Loyalty-card recognition by configured patterns.
 *
 * Inputs: scan data and `LoyaltyPattern`s `{ name, pattern }` (a RegExp or a regular-expression
 * source string). A pattern must match the WHOLE data (string sources are anchored; RegExp
 * matches must start at 0 and cover the data). The card number is the named group `value`, else
 * the first capture group, else the whole data. The first matching pattern in list order wins.
 * Output: `{ program, value }` or `undefined`.
 * Errors: a string pattern that is not a valid regular expression throws `TypeError` naming the
 * pattern (a configuration error). Lifecycle: pure (RegExp `g`/`y` flags are dropped, so no
 * `lastIndex` state leaks between calls).
 */

export interface LoyaltyPattern {
  /** Program name reported with a match, e.g. `store-card`. */
  readonly name: string;
  readonly pattern: RegExp | string;
}

export interface LoyaltyMatch {
  readonly program: string;
  readonly value: string;
}

function compile(entry: LoyaltyPattern): RegExp {
  if (typeof entry.pattern !== 'string') {
    return new RegExp(entry.pattern.source, entry.pattern.flags.replace(/[gy]/g, ''));
  }
  try {
    return new RegExp(`^(?:${entry.pattern})$`, 'u');
  } catch {
    throw new TypeError(`loyalty pattern "${entry.name}" is not a valid regular expression`);
  }
}

export function matchLoyaltyCard(
  data: string,
  patterns: readonly LoyaltyPattern[],
): LoyaltyMatch | undefined {
  for (const entry of patterns) {
    const match = compile(entry).exec(data);
    if (match?.index !== 0 || match[0].length !== data.length) continue;
    return { program: entry.name, value: match.groups?.['value'] ?? match[1] ?? data };
  }
  return undefined;
}

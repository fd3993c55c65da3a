/**
 * Results of the fault suite: the per-scenario record, its printed line, and the pass rule.
 * Pure.
 *
 * - `formatLine(result)`: `<scenario> sent=N delivered=N lost=N duplicated=N reordered=N kills=N`
 *   (exactly those keys, in that order; the details go to `formatDetails`).
 * - `toJson(result)`: the record for `--json`: the six counts and `scenario`, plus the scenario's
 *   extra figures (`reconcileDifference`, `rejected`, …) and `error` when it could not finish.
 * - `judge(results, { strict })`: why the run fails, one sentence per breach naming the scenario
 *   and the numbers (docs/reliability.md, "The pass rule"); `failures` empty means the suite
 *   passed. Each of these must be 0: `lost`, `reordered`, the unexplained duplicates
 *   (`duplicated − duplicatesExplained`: a duplicate counts as unexplained unless the scenario
 *   attributed it to a crash window, accounting.ts), and the extra figures `unexpected`,
 *   `clientMismatches`, `withoutTransactionId` (each scenario must report these three),
 *   `reconcileDifference`, `scanJoinMismatches`, `readdedUnsettled`, `readdedNotDeduplicated`
 *   (when reported); a harness `error` fails too. `duplicated > kills` (the rule) is a
 *   `note` when every duplicate is explained (a kill can catch several requests in flight, which
 *   docs/delivery.md allows), and a failure with `strict`.
 */

export interface CoreCounts {
  readonly sent: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly reordered: number;
  readonly kills: number;
}

export type Extra = number | string | Readonly<Record<string, number>>;

export interface ScenarioResult extends CoreCounts {
  readonly scenario: string;
  readonly extra: Readonly<Record<string, Extra>>;
  /** Set when the harness could not run the scenario to its end (the counts are what it had). */
  readonly error?: string;
}

const CORE_KEYS = ['sent', 'delivered', 'lost', 'duplicated', 'reordered', 'kills'] as const;

export function formatLine(result: ScenarioResult): string {
  return [result.scenario, ...CORE_KEYS.map((key) => `${key}=${result[key]}`)].join(' ');
}

export function formatDetails(result: ScenarioResult): string {
  const parts = Object.entries(result.extra).map(
    ([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`,
  );
  if (result.error !== undefined) parts.push(`error=${JSON.stringify(result.error)}`);
  return `  ${result.scenario}: ${parts.join(' ')}`;
}

export function toJson(result: ScenarioResult): Record<string, Extra> {
  const record: Record<string, Extra> = { scenario: result.scenario };
  for (const key of CORE_KEYS) record[key] = result[key];
  for (const [key, value] of Object.entries(result.extra))
    if (!(key in record)) record[key] = value;
  if (result.error !== undefined) record['error'] = result.error;
  return record;
}

/** Extra figures every scenario must report, each judged: must be 0. */
export const REQUIRED_ZERO = ['unexpected', 'clientMismatches', 'withoutTransactionId'] as const;

/** Extra figures judged when a scenario reports them: must be 0. */
export const OPTIONAL_ZERO = [
  'reconcileDifference',
  'scanJoinMismatches',
  'readdedUnsettled',
  'readdedNotDeduplicated',
] as const;

const WHY: Readonly<Record<string, string>> = {
  unexpected: 'delivered transaction ids nobody sent',
  clientMismatches: 'identified receipts delivered under another client id',
  withoutTransactionId: 'delivered events without a string transaction_id',
  readdedUnsettled: 're-added jobs the workers did not finish',
  readdedNotDeduplicated: 're-added jobs of delivered transactions not completed as deduplicated',
};

export function judge(
  results: readonly ScenarioResult[],
  options: { strict?: boolean } = {},
): { failures: string[]; notes: string[] } {
  const failures: string[] = [];
  const notes: string[] = [];
  for (const r of results) {
    const name = r.scenario;
    if (r.error !== undefined) failures.push(`${name}: did not finish: ${r.error}`);
    if (r.lost > 0) failures.push(`${name}: lost=${r.lost} (must be 0) of sent=${r.sent}`);
    if (r.reordered > 0) failures.push(`${name}: reordered=${r.reordered} (must be 0)`);
    const explainedFigure = r.extra['duplicatesExplained'];
    const explained = typeof explainedFigure === 'number' ? explainedFigure : 0;
    const unexplained = r.duplicated - Math.min(explained, r.duplicated);
    if (unexplained > 0)
      failures.push(
        `${name}: duplicated=${r.duplicated} with ${unexplained} not explained by a crash window (must be 0; kills=${r.kills})`,
      );
    else if (r.duplicated > r.kills) {
      const breach = `${name}: duplicated=${r.duplicated} is above kills=${r.kills}`;
      if (options.strict === true) failures.push(breach);
      else
        notes.push(
          `${breach}, but every duplicate is a resend of a request in flight at a kill (crash window, docs/delivery.md); --strict fails this`,
        );
    }
    for (const key of [...REQUIRED_ZERO, ...OPTIONAL_ZERO]) {
      const value = r.extra[key];
      const why = WHY[key] === undefined ? '' : `: ${WHY[key]}`;
      if (typeof value === 'number') {
        if (value !== 0) failures.push(`${name}: ${key}=${value} (must be 0)${why}`);
      } else if (r.error === undefined && (REQUIRED_ZERO as readonly string[]).includes(key))
        failures.push(`${name}: ${key} not reported (a judged figure)`);
    }
  }
  return { failures, notes };
}

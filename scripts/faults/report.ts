/**
 * Results of the fault suite: the per-scenario record, its printed line, and the pass rule.
 * Pure.
 *
 * - `formatLine(result)`: `<scenario> sent=N delivered=N lost=N duplicated=N reordered=N kills=N`
 *   (exactly those keys, in that order; the details go to `formatDetails`).
 * - `toJson(result)`: the record for `--json`: the six counts and `scenario`, plus the scenario's
 *   extra figures (`reconcileDifference`, `rejected`, …) and `error` when it could not finish.
 * - `judge(results, { strict })`: why the run fails, one sentence per breach naming the scenario
 *   and the numbers: `lost > 0`, `reordered > 0`, `duplicated > kills` (the rule); and the
 *   extra checks documented in docs/reliability.md: a non-zero `reconcileDifference`, non-zero
 *   `scanJoinMismatches` (scenario 6), a harness `error`. `failures` empty means the suite passed.
 *   Duplicates above `kills` are accepted (as a `note`) when every one of them is explained by the
 *   crash window of a kill (`duplicatesUnexplained` = 0, see accounting.ts) — a kill can catch
 *   several requests in flight, which docs/delivery.md allows; `strict` applies the rule
 *   literally.
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
    if (r.duplicated > r.kills) {
      const unexplained = r.extra['duplicatesUnexplained'];
      const breach = `${name}: duplicated=${r.duplicated} is above kills=${r.kills}`;
      if (options.strict !== true && unexplained === 0)
        notes.push(
          `${breach}, but every duplicate is a resend of a request in flight at a kill (crash window, docs/delivery.md); --strict fails this`,
        );
      else
        failures.push(
          typeof unexplained === 'number' && unexplained > 0
            ? `${breach} (${unexplained} not explained by any kill)`
            : breach,
        );
    }
    const reconcile = r.extra['reconcileDifference'];
    if (typeof reconcile === 'number' && reconcile !== 0)
      failures.push(`${name}: reconcileDifference=${reconcile} (must be 0)`);
    const joins = r.extra['scanJoinMismatches'];
    if (typeof joins === 'number' && joins !== 0)
      failures.push(`${name}: scanJoinMismatches=${joins} (must be 0)`);
  }
  return { failures, notes };
}

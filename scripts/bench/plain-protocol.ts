/**
 * The stdout protocol between the plain BullMQ worker process (plain-worker.ts) and the bench
 * (plain-phase.ts): one line `first-job` when the first job starts, one line `done <json>` once
 * the expected number of jobs has settled. `parsePlainLine` reads one line (anything else is
 * `undefined`: the worker may print other things). Pure.
 */

export const FIRST_JOB_LINE = 'first-job';

/** What the plain worker reports when its last job settled. */
export interface PlainDone {
  /** First job start → last job completed or failed, in the worker's clock. */
  readonly drainMs: number;
  readonly completed: number;
  readonly failed: number;
}

export type PlainLine = { readonly kind: 'first-job' } | ({ readonly kind: 'done' } & PlainDone);

export const doneLine = (done: PlainDone): string => `done ${JSON.stringify(done)}`;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

export function parsePlainLine(line: string): PlainLine | undefined {
  const trimmed = line.trim();
  if (trimmed === FIRST_JOB_LINE) return { kind: 'first-job' };
  if (!trimmed.startsWith('done ')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed.slice('done '.length));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { drainMs, completed, failed } = parsed as Record<string, unknown>;
  return isCount(drainMs) && isCount(completed) && isCount(failed)
    ? { kind: 'done', drainMs, completed, failed }
    : undefined;
}

/**
 * The result every doctor check returns, and the helpers around it.
 * A check is a small function that looks at one thing and returns `CheckResult`s:
 * `{ name, status: 'pass' | 'warn' | 'fail' | 'skip', detail, fix? }` (`fix` says what to do).
 * `doctorExitCode` is 0 unless a result failed (warnings and skips are allowed).
 * Pure: no I/O, no lifecycle.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

export function pass(name: string, detail: string): CheckResult {
  return { name, status: 'pass', detail };
}

export function skip(name: string, detail: string): CheckResult {
  return { name, status: 'skip', detail };
}

export function warn(name: string, detail: string, fix?: string): CheckResult {
  return fix === undefined
    ? { name, status: 'warn', detail }
    : { name, status: 'warn', detail, fix };
}

export function fail(name: string, detail: string, fix: string): CheckResult {
  return { name, status: 'fail', detail, fix };
}

export function doctorExitCode(results: readonly CheckResult[]): number {
  return results.some((result) => result.status === 'fail') ? 1 : 0;
}

/** The message of an unknown thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` of a Node.js system error (ENOENT, EACCES…), if any. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code: unknown = error.code;
  return typeof code === 'string' ? code : undefined;
}

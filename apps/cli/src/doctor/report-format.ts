/**
 * Doctor results → text for a terminal: one line per check with ✓ (pass), ! (warn), ✗ (fail) or
 * - (skip), the fix indented under it, and a summary line. Pure.
 */
import type { CheckResult, CheckStatus } from './check-result.js';

const MARKS: Readonly<Record<CheckStatus, string>> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  skip: '-',
};

export function formatResult(result: CheckResult): string {
  const head = `${MARKS[result.status]} ${result.name}: ${result.detail}`;
  return result.fix === undefined ? head : `${head}\n    fix: ${result.fix}`;
}

export function formatReport(results: readonly CheckResult[]): string {
  const count = (status: CheckStatus): number =>
    results.filter((result) => result.status === status).length;
  const summary = `${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped`;
  return `${results.map(formatResult).join('\n')}\n\n${summary}\n`;
}

/** The receipt text builder: blank-line trimming and capping, snapshots. */
import { describe, expect, it } from 'vitest';

import { MAX_BLANK_LINES, TextBuilder } from './receipt-text.js';

function build(ops: readonly (string | null)[]): string {
  const text = new TextBuilder();
  for (const op of ops) {
    if (op === null) text.breakLine();
    else text.append(op, op.trim() !== '');
  }
  return text.finish();
}

describe('receipt text', () => {
  it('trims blank edges and trailing spaces, caps blank runs', () => {
    expect(
      build([null, null, '  ', null, 'A  ', null, null, null, null, null, 'B', null, null]),
    ).toBe(`A\n${'\n'.repeat(MAX_BLANK_LINES)}B\n`);
    expect(build(['A', null, ' ', null, 'B'])).toBe('A\n\nB\n');
    expect(build([' ', '\t'])).toBe('');
  });

  it('round-trips through snapshots', () => {
    const first = new TextBuilder();
    first.append('A', true);
    first.breakLine();
    first.breakLine();
    first.append('B', true);
    const second = new TextBuilder(first.snapshot());
    second.breakLine();
    expect(second.finish()).toBe('A\n\nB\n');
    expect(first.finish()).toBe('A\n\nB\n');
  });
});

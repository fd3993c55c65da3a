import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { createProgress } from './progress.js';

describe('createProgress off a terminal', () => {
  it('prints plain lines every 10 % and a final line, no bar', () => {
    const lines: string[] = [];
    const stream = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
      { isTTY: false },
    ) as unknown as NodeJS.WriteStream;
    const progress = createProgress({ label: 'redrive', total: 100, stream });
    for (let i = 1; i <= 100; i++) progress.update(i);
    progress.stop();
    expect(lines.join('')).not.toContain(String.fromCharCode(27));
    expect(lines.join('')).not.toMatch(/[█░]/);
    expect(lines).toHaveLength(10);
    expect(lines.at(-1)).toBe('redrive: 100/100 done\n');
  });
});

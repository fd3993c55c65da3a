import { describe, expect, it } from 'vitest';

import { parseHexReports } from './parse-hex-reports.js';

describe('parseHexReports', () => {
  it('reads one report per line, tolerating whitespace, blank lines and comments', () => {
    const text = [
      '# captured 2019-01-10',
      '00000b0000000000',
      '',
      '  02 00 33 00 00 00 00 00  // Shift + ;',
      '\t0000000000000000\r',
    ].join('\n');
    expect(parseHexReports(text).map((r) => Array.from(r))).toEqual([
      [0, 0, 0x0b, 0, 0, 0, 0, 0],
      [2, 0, 0x33, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('names the line of a malformed report', () => {
    expect(() => parseHexReports('0000\n00zz\n')).toThrow('line 2');
    expect(() => parseHexReports('000')).toThrow(SyntaxError);
  });
});

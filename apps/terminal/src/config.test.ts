import { describe, expect, it } from 'vitest';

import { storeTimeZone, TerminalConfigSchema } from './config.js';

const base = { storeId: 's1', terminalId: 't1', sources: [{ type: 'file', path: 'day.jsonl' }] };

describe('the terminal time zone', () => {
  it('accepts an IANA zone and refuses anything else', () => {
    expect(TerminalConfigSchema.parse({ ...base, timeZone: 'Europe/Berlin' }).timeZone).toBe(
      'Europe/Berlin',
    );
    const wrong = TerminalConfigSchema.safeParse({ ...base, timeZone: 'CET+1' });
    expect(wrong.success ? [] : wrong.error.issues.map((i) => i.path.join('.'))).toEqual([
      'timeZone',
    ]);
  });

  it('is the configured zone, else the profiles’ zone, else the system zone', () => {
    expect(storeTimeZone('Asia/Tokyo', ['Europe/Berlin'], 'UTC')).toBe('Asia/Tokyo');
    expect(storeTimeZone(undefined, ['Europe/Berlin', 'Europe/Berlin'], 'UTC')).toBe(
      'Europe/Berlin',
    );
    expect(storeTimeZone(undefined, [], 'America/New_York')).toBe('America/New_York');
    expect(storeTimeZone(undefined, [])).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('is not guessed when receipt profiles disagree', () => {
    expect(() => storeTimeZone(undefined, ['Europe/Berlin', 'Europe/London'])).toThrow(
      /set timeZone in the terminal config/,
    );
  });
});

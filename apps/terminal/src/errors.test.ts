/** The terminal's codes: one list, and types that refuse a code not in it (checked by tsc). */
import type { RejectionCode } from '@pos-ga4/transaction';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { INPUT_REJECT_CODES, TERMINAL_ERROR_CODES } from './errors.js';
import type { RejectCode } from './errors.js';
import type { RejectedFrame } from './frame/framer.js';
import type { RecordParseResult } from './parse/record-parser.js';
import type { Rejection, RejectRecord } from './reject/reject-log.js';

describe('terminal error codes', () => {
  it('lists each code once, the reject log’s input codes among them', () => {
    expect(new Set(TERMINAL_ERROR_CODES).size).toBe(TERMINAL_ERROR_CODES.length);
    expect(TERMINAL_ERROR_CODES).toEqual(expect.arrayContaining([...INPUT_REJECT_CODES]));
    // the reject log takes the transaction contract's codes too; records read back any string
    expectTypeOf<RejectionCode>().toExtend<RejectCode>();
    expectTypeOf<Rejection['code']>().toEqualTypeOf<RejectCode>();
    expectTypeOf<RejectRecord['code']>().toEqualTypeOf<string>();
  });

  it('does not compile a misspelt code, or one of another kind', () => {
    // @ts-expect-error -- misspelt: JSON_INVALID
    const misspelt: Rejection['code'] = 'JSON_INVALIDD';
    // @ts-expect-error -- a spool error is not a rejected record
    const spool: Extract<RecordParseResult, { ok: false }>['code'] = 'SPOOL_FULL';
    // @ts-expect-error -- framers reject input only, never for the transaction contract
    const frame: RejectedFrame['code'] = 'TOTALS_MISMATCH';
    expect([misspelt, spool, frame]).toHaveLength(3);
  });
});

/**
 * The JSON Schema of the Transaction contract, for POS vendors who produce it without TypeScript.
 * Generated from the zod schema; `schemas/transaction.schema.json` is the committed copy and a test
 * fails when it is out of date (`npx pos-ga4 schemas write` regenerates it).
 * Invariants (sums, derived id) cannot be expressed in JSON Schema: they are named in the
 * description and checked by `parseTransaction`.
 */
import { z } from 'zod';

import { TransactionSchema } from './transaction.js';

export function transactionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TransactionSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return {
    $id: 'https://pos-ga4.dev/schemas/transaction.schema.json',
    title: 'pos-ga4 Transaction',
    description:
      'One completed POS receipt, money in integer minor units. Invariants also checked: ' +
      'transactionId is derived from store, terminal, business date and receipt number; every ' +
      'lineTotal is (unitPrice - unitDiscount) x quantity rounded to a minor unit; lines add up to ' +
      'subtotal; discount is at most subtotal; total = subtotal - discount + shipping + rounding ' +
      '(+ tax when pricesIncludeTax is false); payments, when listed, add up to total; currency ' +
      'is an active ISO 4217 code; attribute names are none of the parameters pos-ga4 sets.',
    ...schema,
  };
}

/**
 * The Transaction contract: what terminals produce and workers consume.
 *
 * - `TransactionSchema` is the canonical shape, versioned by `schemaVersion`, strict (unknown keys
 *   are errors), and checks every invariant: the derived id, line totals, subtotal, totals,
 *   payments, and the kind-specific rules. Each failed invariant carries a stable code
 *   (`docs/errors.md`), so a rejection can be routed and counted.
 * - Money is integer minor units everywhere in here.
 * - Pure: no I/O. The JSON Schema for POS vendors is generated from this file
 *   (`schemas/transaction.schema.json`).
 */
import { z } from 'zod';

import { isCurrencyCode } from './currencies.js';
import { isValidGtin } from './gtin.js';
import { lineTotalMatches, MinorUnits, Quantity, SignedMinorUnits } from './money.js';
import { deriveTransactionId } from './transaction-id.js';

export const SCHEMA_VERSION = 1;

/** Invariant codes a valid-looking transaction can still fail; listed in docs/errors.md. */
export const INVARIANT_CODES = [
  'TRANSACTION_ID_MISMATCH',
  'LINE_TOTAL_MISMATCH',
  'TOTALS_MISMATCH',
  'PAYMENTS_MISMATCH',
  'TAX_INVALID',
  'NO_LINES',
  'REFUND_OF_INVALID',
  'CURRENCY_UNKNOWN',
  'GTIN_INVALID',
] as const;
export type InvariantCode = (typeof INVARIANT_CODES)[number];

function invariant(
  ctx: z.core.$RefinementCtx,
  issue: { code: InvariantCode; message: string; path: PropertyKey[] },
): void {
  ctx.addIssue({
    code: 'custom',
    message: issue.message,
    path: issue.path,
    params: { code: issue.code },
  });
}

export const EntityId = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,22}[A-Za-z0-9])?$/,
    'must be 1-24 letters, digits or inner dashes (e.g. "berlin-01")',
  );

export const ReceiptNumber = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/,
    'must be printable ASCII without leading or trailing spaces',
  );

export const CurrencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be three upper-case letters (ISO 4217), e.g. "EUR"')
  .meta({ description: 'ISO 4217 code, e.g. EUR, USD, JPY.' });

const Text = (max: number) => z.string().min(1).max(max);

export const TransactionLineSchema = z
  .strictObject({
    sku: Text(64).optional().meta({ description: 'Retailer article number; becomes item_id.' }),
    gtin: z
      .string()
      .regex(/^(?:\d{8}|\d{12,14})$/, 'must be a GTIN-8, -12, -13 or -14')
      .optional()
      .meta({ description: 'GTIN (EAN/UPC) with check digit; item_id when there is no sku.' }),
    name: Text(100),
    quantity: Quantity,
    unitPrice: MinorUnits.meta({ description: 'Price of one unit before discount.' }),
    unitDiscount: MinorUnits.default(0).meta({ description: 'Discount per unit.' }),
    lineTotal: MinorUnits.meta({
      description: '(unitPrice - unitDiscount) * quantity, rounded to a whole minor unit.',
    }),
    brand: Text(100).optional(),
    category: Text(100).optional(),
    variant: Text(100).optional(),
  })
  .superRefine((line, ctx) => {
    if (line.sku === undefined && line.gtin === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a line needs a sku or a gtin', path: ['sku'] });
    }
    if (line.gtin !== undefined && !isValidGtin(line.gtin)) {
      invariant(ctx, {
        code: 'GTIN_INVALID',
        message: `GTIN ${line.gtin} has a wrong check digit`,
        path: ['gtin'],
      });
    }
    if (line.unitDiscount > line.unitPrice) {
      ctx.addIssue({
        code: 'custom',
        message: 'unitDiscount exceeds unitPrice',
        path: ['unitDiscount'],
      });
    } else if (!lineTotalMatches(line)) {
      invariant(ctx, {
        code: 'LINE_TOTAL_MISMATCH',
        message: `lineTotal ${line.lineTotal} is not (${line.unitPrice} - ${line.unitDiscount}) x ${line.quantity}`,
        path: ['lineTotal'],
      });
    }
  });

export const PaymentSchema = z.strictObject({
  method: z.enum(['cash', 'card', 'voucher', 'mobile', 'loyalty-points', 'other']),
  amount: MinorUnits.meta({
    description: 'Net amount of this tender (cash: tendered minus change).',
  }),
});

export const IDENTITY_KINDS = ['ga-client-id', 'app-qr', 'loyalty-card', 'other'] as const;

export const IdentityTokenSchema = z.strictObject({
  kind: z.enum(IDENTITY_KINDS),
  value: Text(512),
  symbology: z.string().max(8).optional().meta({ description: 'AIM identifier, e.g. "]Q1".' }),
  scannedAt: z.iso.datetime({ offset: true }).optional(),
});

export const SourceSchema = z.strictObject({
  format: z.enum(['escpos', 'jsonl', 'kv', 'api']),
  captureRef: z
    .string()
    .max(256)
    .optional()
    .meta({ description: 'Where the raw bytes are, e.g. "capture-20261126.bin@1024+512".' }),
  profile: z.string().max(64).optional(),
});

export const TransactionSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    transactionId: z.string().min(1).max(100).meta({
      description: 'Derived: <store>_<terminal>_<yyyymmdd>_<receipt> (see docs/transaction.md).',
    }),
    storeId: EntityId,
    terminalId: EntityId,
    receiptNumber: ReceiptNumber,
    kind: z.enum(['sale', 'refund', 'void']),
    occurredAt: z.iso.datetime({ offset: true, local: false }).meta({
      description: 'When the receipt was completed, ISO 8601 with its UTC offset.',
    }),
    currency: CurrencyCodeSchema,
    pricesIncludeTax: z.boolean().meta({
      description: 'true on VAT-inclusive receipts: tax is part of the line prices and the total.',
    }),
    lines: z.array(TransactionLineSchema).max(1000),
    subtotal: MinorUnits.meta({ description: 'Sum of line totals.' }),
    tax: MinorUnits,
    shipping: MinorUnits.default(0),
    rounding: SignedMinorUnits.default(0).meta({
      description: 'Cash rounding added to the total (e.g. -2 when 9.97 is rounded to 9.95).',
    }),
    total: MinorUnits.meta({
      description:
        'subtotal + shipping + rounding, plus tax when prices exclude it. For refunds: amount refunded.',
    }),
    coupon: Text(100).optional(),
    payments: z.array(PaymentSchema).max(50).default([]),
    identities: z.array(IdentityTokenSchema).max(20).default([]),
    refundOf: z.string().min(1).max(100).optional().meta({
      description: 'transactionId of the original sale, when a refund knows it.',
    }),
    source: SourceSchema,
  })
  .superRefine((t, ctx) => {
    const expectedId = deriveTransactionId(t);
    if (t.transactionId !== expectedId) {
      invariant(ctx, {
        code: 'TRANSACTION_ID_MISMATCH',
        message: `transactionId must be "${expectedId}" for this store, terminal, date and receipt`,
        path: ['transactionId'],
      });
    }
    if (!isCurrencyCode(t.currency)) {
      invariant(ctx, {
        code: 'CURRENCY_UNKNOWN',
        message: `${t.currency} is not an active ISO 4217 code`,
        path: ['currency'],
      });
    }
    if (t.kind === 'sale' && t.lines.length === 0) {
      invariant(ctx, {
        code: 'NO_LINES',
        message: 'a sale needs at least one line',
        path: ['lines'],
      });
    }
    if (t.refundOf !== undefined && (t.kind !== 'refund' || t.refundOf === t.transactionId)) {
      invariant(ctx, {
        code: 'REFUND_OF_INVALID',
        message: 'refundOf is only for refunds and must name another transaction',
        path: ['refundOf'],
      });
    }
    // A full refund may list no lines: then only the totals are checked.
    if (t.lines.length > 0) {
      const sum = t.lines.reduce((acc, line) => acc + line.lineTotal, 0);
      if (sum !== t.subtotal) {
        invariant(ctx, {
          code: 'TOTALS_MISMATCH',
          message: `lines add up to ${sum}, subtotal says ${t.subtotal}`,
          path: ['subtotal'],
        });
      }
    }
    if (t.pricesIncludeTax && t.tax > t.subtotal) {
      invariant(ctx, {
        code: 'TAX_INVALID',
        message: 'included tax exceeds the subtotal',
        path: ['tax'],
      });
    }
    const expectedTotal = t.subtotal + t.shipping + t.rounding + (t.pricesIncludeTax ? 0 : t.tax);
    if (expectedTotal !== t.total) {
      invariant(ctx, {
        code: 'TOTALS_MISMATCH',
        message: `total ${t.total} differs from ${expectedTotal} (subtotal${t.pricesIncludeTax ? '' : ' + tax'} + shipping + rounding)`,
        path: ['total'],
      });
    }
    if (t.payments.length > 0) {
      const paid = t.payments.reduce((acc, p) => acc + p.amount, 0);
      if (paid !== t.total) {
        invariant(ctx, {
          code: 'PAYMENTS_MISMATCH',
          message: `payments add up to ${paid}, total is ${t.total}`,
          path: ['payments'],
        });
      }
    }
  });

export type Transaction = z.output<typeof TransactionSchema>;
export type TransactionInput = z.input<typeof TransactionSchema>;
export type TransactionLine = z.output<typeof TransactionLineSchema>;
export type IdentityToken = z.output<typeof IdentityTokenSchema>;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type Payment = z.output<typeof PaymentSchema>;

/**
 * The Transaction contract: what terminals produce and workers consume.
 *
 * - `TransactionSchema` is the canonical shape, versioned by `schemaVersion`, strict (unknown keys
 *   are errors), and checks every invariant: the derived id, line totals, subtotal, totals,
 *   payments, and the kind-specific rules. Each failed invariant carries a stable code
 *   (`docs/errors.md`), so a rejection can be routed and counted.
 * - Totals: total = subtotal − discount + shipping + rounding (+ tax when prices exclude it); the
 *   basket `discount` is at most the subtotal, included tax at most subtotal − discount
 *   (`TOTALS_MISMATCH`, `TAX_INVALID`).
 * - `attributes` (transaction and line): custom GA4 parameters, at most `MAX_ATTRIBUTES`, names
 *   by GA4's rule and never one pos-ga4 sets itself (`SCHEMA_INVALID` naming the attribute).
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

/**
 * Free text printed on a receipt (names, brands, categories, coupons). Longer than GA4 keeps (100)
 * is fine: the mapping cuts it to GA4's limit (counted as Google counts), so a long name never
 * costs a sale. The bound only keeps job data small.
 */
export const FREE_TEXT_MAX = 1000;
const FreeText = () => Text(FREE_TEXT_MAX);

/** GA4's rule for event and item parameter names: a letter, then letters, digits, `_`; ≤ 40. */
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
/** Name prefixes GA4 reserves (compared without case); `_` cannot start a valid name anyway. */
export const RESERVED_PARAM_PREFIXES = ['_', 'ga_', 'google_', 'firebase_'] as const;
/** Prefix of the parameters pos-ga4 adds itself (`pos_refund_id`, `pos_items_folded`…). */
const POS_PREFIX = 'pos_';
/**
 * At most this many attributes per transaction and per line. Event: pos-ga4 sets at most 14
 * parameters itself (`ATTRIBUTE_RESERVED_EVENT_PARAMS` and four `pos_…`), GA4 keeps 25.
 * Item: GA4's safe bound of 10 custom item parameters (a line with a decimal quantity keeps one
 * for `measured_quantity`, so 9 there).
 */
export const MAX_ATTRIBUTES = 10;

/** Event parameters pos-ga4 sets itself: a transaction's `attributes` may not use these names. */
export const ATTRIBUTE_RESERVED_EVENT_PARAMS: readonly string[] = [
  'transaction_id',
  'value',
  'currency',
  'tax',
  'shipping',
  'coupon',
  'items',
  'session_id',
  'engagement_time_msec',
  'payment_type',
];

/** Item parameters GA4 defines or pos-ga4 sets: a line's `attributes` may not use these names. */
// prettier-ignore
export const ATTRIBUTE_RESERVED_ITEM_PARAMS: readonly string[] = [
  'item_id', 'item_name', 'affiliation', 'coupon', 'creative_name', 'creative_slot', 'discount',
  'index', 'item_brand', 'item_category', 'item_category2', 'item_category3', 'item_category4',
  'item_category5', 'item_list_id', 'item_list_name', 'item_variant', 'location_id', 'price',
  'quantity', 'promotion_id', 'promotion_name', 'currency', 'measured_quantity',
];

/**
 * Why `name` cannot be an attribute (a custom GA4 parameter) of an event or an item, or undefined
 * when it can: GA4's name rule, a reserved prefix, or a parameter pos-ga4 sets itself. The one
 * rule for the contract and for receipt profiles that capture attributes.
 */
export function attributeNameProblem(name: string, scope: 'event' | 'item'): string | undefined {
  if (!PARAM_NAME.test(name))
    return `${JSON.stringify(name)} is not a GA4 parameter name: a letter, then up to 39 letters, digits or _`;
  const reserved =
    scope === 'event' ? ATTRIBUTE_RESERVED_EVENT_PARAMS : ATTRIBUTE_RESERVED_ITEM_PARAMS;
  const lower = name.toLowerCase();
  const prefix = RESERVED_PARAM_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix !== undefined)
    return `"${name}" starts with ${prefix}, a prefix GA4 reserves (${RESERVED_PARAM_PREFIXES.join(', ')})`;
  if (reserved.includes(name) || lower.startsWith(POS_PREFIX))
    return `"${name}" is an ${scope} parameter pos-ga4 sets itself (${reserved.join(', ')}, ${POS_PREFIX}…); choose another name`;
  return undefined;
}

/**
 * Custom GA4 parameters carried by a receipt: name → text (cut to GA4's 100 when sent) or finite
 * number. Names follow GA4's parameter rule, use no reserved prefix and none of the names
 * pos-ga4 sets itself (`attributeNameProblem`).
 */
function attributesSchema(scope: 'event' | 'item') {
  const value = `must be a text (1-${FREE_TEXT_MAX} characters) or a finite number`;
  return z
    .record(
      z.string().regex(PARAM_NAME),
      z.union([z.string().min(1, value).max(FREE_TEXT_MAX, value), z.number()], { error: value }),
      {
        error: (issue) =>
          issue.code === 'invalid_key'
            ? `${JSON.stringify(issue.input)} is not a GA4 parameter name: a letter, then up to 39 letters, digits or _`
            : undefined,
      },
    )
    .superRefine((attributes, ctx) => {
      const names = Object.keys(attributes);
      if (names.length > MAX_ATTRIBUTES)
        ctx.addIssue({
          code: 'custom',
          message: `${names.length} attributes; at most ${MAX_ATTRIBUTES} (${scope === 'event' ? 'GA4 keeps 25 parameters per event, pos-ga4 sets up to 14 itself' : 'GA4 keeps 10 custom parameters per item'})`,
        });
      for (const name of names) {
        const problem = attributeNameProblem(name, scope);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: [name] });
      }
    })
    .meta({
      description:
        scope === 'event'
          ? `Custom GA4 event parameters: name → text or number, at most ${MAX_ATTRIBUTES}. Names: GA4's rule, no reserved prefix, none of the parameters pos-ga4 sets (transaction_id, value, currency, tax, shipping, coupon, items, session_id, engagement_time_msec, payment_type, pos_…).`
          : `Custom GA4 item parameters of this line: name → text or number, at most ${MAX_ATTRIBUTES} (9 with a decimal quantity). Names: GA4's rule, no reserved prefix, no GA4 item parameter (item_…, price, quantity, coupon…), not measured_quantity or pos_….`,
    });
}

export const TransactionLineSchema = z
  .strictObject({
    sku: Text(64).optional().meta({ description: 'Retailer article number; becomes item_id.' }),
    gtin: z
      .string()
      .regex(/^(?:\d{8}|\d{12,14})$/, 'must be a GTIN-8, -12, -13 or -14')
      .optional()
      .meta({ description: 'GTIN (EAN/UPC) with check digit; item_id when there is no sku.' }),
    name: FreeText(),
    quantity: Quantity,
    unitPrice: MinorUnits.meta({ description: 'Price of one unit before discount.' }),
    unitDiscount: MinorUnits.default(0).meta({ description: 'Discount per unit.' }),
    lineTotal: MinorUnits.meta({
      description: '(unitPrice - unitDiscount) * quantity, rounded to a whole minor unit.',
    }),
    taxRate: z
      .number()
      .min(0)
      .max(100)
      .refine(
        (r) =>
          Number.isInteger(Math.round(r * 1000)) &&
          Math.abs(r * 1000 - Math.round(r * 1000)) < 1e-6,
        'at most 3 decimals',
      )
      .optional()
      .meta({
        description:
          'VAT rate of the line in percent (19, 7, 5.5) when the receipt prints it; the tax is then allocated over the lines by rate.',
      }),
    brand: FreeText().optional(),
    category: FreeText().optional(),
    category2: FreeText()
      .optional()
      .meta({ description: 'Second category level (item_category2).' }),
    category3: FreeText()
      .optional()
      .meta({ description: 'Third category level (item_category3).' }),
    category4: FreeText()
      .optional()
      .meta({ description: 'Fourth category level (item_category4).' }),
    category5: FreeText()
      .optional()
      .meta({ description: 'Fifth category level (item_category5).' }),
    variant: FreeText().optional(),
    coupon: FreeText()
      .optional()
      .meta({ description: 'Coupon or promotion code applied to this line (item coupon).' }),
    attributes: attributesSchema('item').optional(),
  })
  .superRefine((line, ctx) => {
    if (
      line.attributes !== undefined &&
      !Number.isInteger(line.quantity) &&
      Object.keys(line.attributes).length >= MAX_ATTRIBUTES
    ) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_ATTRIBUTES - 1} attributes on a line with a decimal quantity: measured_quantity takes the 10th custom item parameter`,
        path: ['attributes'],
      });
    }
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
      description:
        "Derived: <store>_<terminal>_<yyyymmdd>_<receipt>, the date being occurredAt's (see docs/decisions/0002-transaction-id.md).",
    }),
    storeId: EntityId,
    terminalId: EntityId,
    receiptNumber: ReceiptNumber,
    kind: z.enum(['sale', 'refund', 'void']),
    occurredAt: z.iso.datetime({ offset: true, local: false }).meta({
      description:
        "When the receipt was completed, ISO 8601 with its UTC offset; terminals write it in the store's time zone.",
    }),
    currency: CurrencyCodeSchema,
    pricesIncludeTax: z.boolean().meta({
      description: 'true on VAT-inclusive receipts: tax is part of the line prices and the total.',
    }),
    lines: z.array(TransactionLineSchema).max(1000),
    subtotal: MinorUnits.meta({ description: 'Sum of line totals.' }),
    discount: MinorUnits.default(0).meta({
      description:
        'Receipt-level discount taken off the subtotal (e.g. 10 % off the basket), at most the subtotal. Line discounts are unitDiscount.',
    }),
    tax: MinorUnits,
    shipping: MinorUnits.default(0),
    rounding: SignedMinorUnits.default(0).meta({
      description: 'Cash rounding added to the total (e.g. -2 when 9.97 is rounded to 9.95).',
    }),
    total: MinorUnits.meta({
      description:
        'subtotal - discount + shipping + rounding, plus tax when prices exclude it. For refunds: amount refunded.',
    }),
    coupon: FreeText().optional(),
    attributes: attributesSchema('event').optional(),
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
    if (t.discount > t.subtotal) {
      invariant(ctx, {
        code: 'TOTALS_MISMATCH',
        message: `discount ${t.discount} exceeds the subtotal ${t.subtotal}`,
        path: ['discount'],
      });
    } else if (t.pricesIncludeTax && t.tax > t.subtotal - t.discount) {
      invariant(ctx, {
        code: 'TAX_INVALID',
        message:
          t.discount > 0
            ? 'included tax exceeds the subtotal less the discount'
            : 'included tax exceeds the subtotal',
        path: ['tax'],
      });
    }
    const expectedTotal =
      t.subtotal - t.discount + t.shipping + t.rounding + (t.pricesIncludeTax ? 0 : t.tax);
    if (expectedTotal !== t.total) {
      invariant(ctx, {
        code: 'TOTALS_MISMATCH',
        message: `total ${t.total} differs from ${expectedTotal} (subtotal${t.discount > 0 ? ' - discount' : ''}${t.pricesIncludeTax ? '' : ' + tax'} + shipping + rounding)`,
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

/**
 * The receipt profile schema (zod): one POS receipt layout described as data, validated before use.
 *
 * Inputs: an object read from a profile file (YAML or JSON). Outputs: `ReceiptProfile`, with
 * defaults applied; `schemas/receipt-profile.schema.json` is generated from this schema. Every
 * pattern must compile as a JavaScript regular expression (`u` flag) and use only the named groups
 * its section understands (groups starting with `_` are allowed and ignored); date formats must use
 * known tokens; the time zone must be an IANA zone `Intl` knows. Issues name the field, e.g.
 * `patterns.total.0: needs a named group (?<amount>…)`.
 * Errors: zod issues (see `load-profile.ts` for the coded `ProfileError`). Lifecycle: pure data.
 * The meaning of each field is documented in docs/receipt-profiles.md.
 */
import { defaultedBlock } from '@pos-ga4/config';
import {
  attributeNameProblem,
  EntityId,
  IDENTITY_KINDS,
  isCurrencyCode,
  isTimeZone,
} from '@pos-ga4/transaction';
import { z } from 'zod';

import { compileDateFormat } from './date-format.js';
import { compileRegex, groupNames } from './regex-source.js';

/** Groups a `fields` pattern may capture (header and footer facts). */
export const FIELD_GROUPS = [
  'receipt',
  'store',
  'terminal',
  'date',
  'time',
  'datetime',
  'currency',
] as const;
/** Groups the lines of an item layout may capture, together. */
export const ITEM_GROUPS = [
  'name',
  'sku',
  'gtin',
  'quantity',
  'unitPrice',
  'total',
  'category',
] as const;

interface GroupRule {
  readonly section: string;
  readonly allowed: readonly string[];
  readonly required: readonly string[];
  /** `(?<attr_NAME>…)` captures a custom GA4 parameter NAME (the Transaction's `attributes`). */
  readonly attributes?: 'event' | 'item';
}

/** The prefix of groups that capture custom GA4 parameters (`(?<attr_payment_zone>…)`). */
export const ATTRIBUTE_GROUP_PREFIX = 'attr_';

const NONE: GroupRule = { section: 'this section', allowed: [], required: [] };
const AMOUNT: GroupRule = {
  section: 'an amount pattern',
  allowed: ['amount'],
  required: ['amount'],
};
const SUMMARY: GroupRule = {
  section: 'a total or subtotal pattern',
  allowed: ['amount', 'currency'],
  required: ['amount'],
};
const FIELDS: GroupRule = {
  section: 'a fields pattern',
  allowed: FIELD_GROUPS,
  required: [],
  attributes: 'event',
};
const ITEM_LINE: GroupRule = {
  section: 'an item line',
  allowed: ITEM_GROUPS,
  required: [],
  attributes: 'item',
};
const CODE: GroupRule = { section: 'a codes pattern', allowed: ['value'], required: [] };

const groupList = (names: readonly string[]): string =>
  names.map((n) => `(?<${n}>…)`).join(', ') || 'no groups';

function pattern(rule: GroupRule) {
  return z
    .string()
    .min(1)
    .superRefine((source, ctx) => {
      const compiled = compileRegex(source, false);
      if (!compiled.ok) {
        ctx.addIssue({ code: 'custom', message: `pattern does not compile: ${compiled.message}` });
        return;
      }
      const names = groupNames(source);
      const attribute = (n: string): boolean =>
        rule.attributes !== undefined && n.startsWith(ATTRIBUTE_GROUP_PREFIX);
      for (const name of names.filter(attribute)) {
        const problem = attributeNameProblem(
          name.slice(ATTRIBUTE_GROUP_PREFIX.length),
          rule.attributes ?? 'event',
        );
        if (problem !== undefined)
          ctx.addIssue({ code: 'custom', message: `(?<${name}>…): ${problem}` });
      }
      const unknown = names.filter(
        (n) => !n.startsWith('_') && !rule.allowed.includes(n) && !attribute(n),
      );
      if (unknown.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `unknown group ${groupList(unknown)}: ${rule.section} may capture ${groupList(rule.allowed)}${rule.attributes === undefined ? '' : ` and custom GA4 parameters as (?<${ATTRIBUTE_GROUP_PREFIX}name>…)`} (names starting with _ are ignored)`,
        });
      for (const name of rule.required)
        if (!names.includes(name))
          ctx.addIssue({ code: 'custom', message: `needs a named group (?<${name}>…)` });
      if (rule === FIELDS && names.filter((n) => !n.startsWith('_')).length === 0)
        ctx.addIssue({
          code: 'custom',
          message: `captures nothing: a fields pattern needs one of ${groupList(FIELD_GROUPS)}`,
        });
    })
    .meta({ description: 'A JavaScript regular expression (no slashes), tried on one line.' });
}

/** One pattern, or a list tried in order. */
const patterns = (rule: GroupRule) => z.union([pattern(rule), z.array(pattern(rule)).min(1)]);

export function asList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

const ItemLayoutSchema = z
  .union([pattern(ITEM_LINE), z.array(pattern(ITEM_LINE)).min(1).max(4)])
  .superRefine((layout, ctx) => {
    const perLine = asList(layout).map(groupNames);
    const all = perLine.flat();
    const twice = all.filter((n, i) => all.indexOf(n) !== i);
    if (twice.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `group ${groupList([...new Set(twice)])} appears on more than one line of the layout`,
      });
    if (!all.includes('name'))
      ctx.addIssue({ code: 'custom', message: 'an item layout needs a named group (?<name>…)' });
    if (!all.includes('total') && !all.includes('unitPrice'))
      ctx.addIssue({
        code: 'custom',
        message: 'an item layout needs (?<total>…) or (?<unitPrice>…) (or both)',
      });
  })
  .meta({
    description:
      'An item printed on one line (a pattern) or over several consecutive lines (a list of patterns, groups merged).',
  });

const IdSourceSchema = z.strictObject({
  id: EntityId.optional().meta({
    description: 'Fixed id, used when no fields pattern captures one.',
  }),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,15}$/, 'must be 1-16 letters, digits or dashes')
    .optional()
    .meta({ description: 'Put before a captured id, e.g. "kasse-" + "2" = "kasse-2".' }),
});

const PaymentPatternSchema = z.strictObject({
  method: z.enum(['cash', 'card', 'voucher', 'mobile', 'loyalty-points', 'other']),
  pattern: patterns(AMOUNT),
});

const CodePatternSchema = z.strictObject({
  kind: z.enum(IDENTITY_KINDS).meta({ description: 'The identity kind a matching code gives.' }),
  on: z
    .enum(['qr', 'pdf417', 'barcode'])
    .optional()
    .meta({ description: 'Only codes printed as this kind (default: any).' }),
  pattern: patterns(CODE).meta({
    description: 'Tried on the code payload; (?<value>…) or else the whole payload is the value.',
  }),
});

const DateFormatSchema = z.string().min(1);

export const ReceiptProfileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(
        /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
        'must be 1-64 lower-case letters, digits or inner dashes',
      )
      .meta({ description: "Recorded in each transaction's source.profile." }),
    description: z.string().max(500).optional(),
    escpos: z
      .strictObject({
        star: z.boolean().optional().meta({ description: 'Star line mode (ESC d n is a cut).' }),
        defaultCodePage: z
          .number()
          .int()
          .min(0)
          .max(255)
          .optional()
          .meta({ description: 'ESC t number in effect at start and after ESC @ (default 0).' }),
        encoding: z.enum(['codepage', 'utf8']).optional(),
        idleMs: z
          .number()
          .positive()
          .optional()
          .meta({ description: 'Close a receipt after this much silence (default 2000).' }),
      })
      .default({})
      .meta({ description: 'Hints for the ESC/POS framer.' }),
    money: z
      .strictObject({
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'must be three upper-case letters (ISO 4217), e.g. "EUR"')
          .refine(isCurrencyCode, 'is not an active ISO 4217 code')
          .meta({ description: 'Minor units (decimals) come from the currency.' }),
        decimal: z.enum(['.', ',']).default('.'),
        thousands: z
          .enum(['', ',', '.', ' ', "'"])
          .default('')
          .meta({ description: 'Grouping separator in amounts; "" when none is printed.' }),
      })
      .refine((m) => m.decimal !== m.thousands, {
        message: 'thousands separator must differ from the decimal separator',
        path: ['thousands'],
      }),
    dates: z
      .strictObject({
        formats: z.array(DateFormatSchema).min(1).meta({
          description:
            'Tried in order on the captured datetime (or date + " " + time), e.g. "DD.MM.YYYY HH:mm".',
        }),
        timeZone: z
          .string()
          .refine(isTimeZone, 'is not an IANA time zone, e.g. "Europe/Berlin"')
          .meta({ description: 'IANA zone of the store: gives the UTC offset of occurredAt.' }),
        locale: z
          .string()
          .default('en-US')
          .meta({ description: 'Language of month and weekday names (BCP 47).' }),
      })
      .superRefine((dates, ctx) => {
        dates.formats.forEach((format, index) => {
          const compiled = compileDateFormat(format, dates.locale);
          if (!compiled.ok)
            ctx.addIssue({ code: 'custom', message: compiled.message, path: ['formats', index] });
        });
      }),
    taxMode: z.enum(['added', 'included']).meta({
      description: 'added: total = subtotal + tax (US); included: VAT inside the prices (EU).',
    }),
    store: IdSourceSchema.default({}),
    terminal: IdSourceSchema.default({}),
    receiptNumber: defaultedBlock(
      z.strictObject({
        fallback: z.enum(['none', 'datetime']).default('none').meta({
          description:
            'When no (?<receipt>…) is captured: none rejects (PROFILE_NO_RECEIPT_NUMBER); datetime uses the local YYYYMMDD-HHmmss.',
        }),
      }),
    ),
    itemIdFallback: z.enum(['none', 'name']).default('none').meta({
      description: 'name: items without (?<sku>…) or (?<gtin>…) get their name as sku.',
    }),
    unknownLines: z.enum(['warn', 'reject']).default('warn').meta({
      description:
        'Lines no pattern understands: warnings, or reject the receipt (PROFILE_UNKNOWN_LINE).',
    }),
    ignoreCase: z.boolean().default(false),
    patterns: z.strictObject({
      ignore: patterns(NONE)
        .optional()
        .meta({ description: 'Lines knowingly skipped (tried first).' }),
      refund: patterns(NONE).optional().meta({ description: 'A matching line makes a refund.' }),
      void: patterns(NONE).optional().meta({ description: 'A matching line makes a void.' }),
      fields: patterns(FIELDS).optional(),
      total: patterns(SUMMARY),
      subtotal: patterns(SUMMARY).optional(),
      tax: patterns(AMOUNT).optional().meta({ description: 'Every matching line adds up.' }),
      rounding: patterns(AMOUNT).optional(),
      payments: z.array(PaymentPatternSchema).optional(),
      change: patterns(AMOUNT).optional(),
      discount: patterns(AMOUNT)
        .optional()
        .meta({ description: 'Applies to the item above; the sign is ignored.' }),
      items: z.array(ItemLayoutSchema).min(1),
      codes: z.array(CodePatternSchema).optional(),
    }),
  })
  .superRefine((profile, ctx) => {
    const captured = new Set(asList(profile.patterns.fields).flatMap(groupNames));
    if (!captured.has('datetime') && !captured.has('date'))
      ctx.addIssue({
        code: 'custom',
        message:
          'no fields pattern captures (?<datetime>…) or (?<date>…): every receipt needs a date',
        path: ['patterns', 'fields'],
      });
    if (!captured.has('receipt') && profile.receiptNumber.fallback === 'none')
      ctx.addIssue({
        code: 'custom',
        message:
          'no fields pattern captures (?<receipt>…): add one, or set receiptNumber.fallback: datetime',
        path: ['receiptNumber', 'fallback'],
      });
    for (const key of ['store', 'terminal'] as const)
      if (profile[key].prefix !== undefined && !captured.has(key))
        ctx.addIssue({
          code: 'custom',
          message: `${key}.prefix needs a fields pattern with (?<${key}>…)`,
          path: [key, 'prefix'],
        });
  });

export type ReceiptProfile = z.output<typeof ReceiptProfileSchema>;
export type ReceiptProfileInput = z.input<typeof ReceiptProfileSchema>;

/**
 * Classified receipt lines → a transaction draft (the JSON-lines shape), or a coded rejection.
 *
 * Inputs: the events of `classifyLines`, the compiled profile, and the QR/barcode payloads the
 * framer found. Output: a draft with store/terminal (captured with prefix, else the profile's fixed
 * id, else left to the terminal config), receipt number (captured, or the local `YYYYMMDD-HHmmss`
 * with `receiptNumber.fallback: datetime`), kind (refund/void markers), `occurredAt` in the
 * profile's zone, currency, tax mode, lines (discounts applied), and the totals AS PRINTED: the
 * subtotal is only computed (sum of lines) when the layout prints none. Refund receipts that print
 * a negative total have every sign flipped. Cash payments are net of printed change.
 * Errors (codes in docs/errors.md): PROFILE_NO_TOTAL, PROFILE_NO_DATE, PROFILE_NO_RECEIPT_NUMBER,
 * PROFILE_AMBIGUOUS (two lines disagree on one value, or both refund and void markers),
 * PROFILE_LINE_INVALID (a matched line whose captures cannot be used). Invariants (totals adding
 * up) are the Transaction contract's job, in assembly. Lifecycle: pure.
 */
import { localIso, zonedIso } from '@pos-ga4/transaction';

import type { InputRejectCode } from '../../errors.js';

import type { AmountRole, ClassifiedReceipt, LineEvent } from './classify-lines.js';
import type { CompiledProfile } from './compile-profile.js';
import type { LocalDateTime } from './date-format.js';
import type { DraftLine, PricedItem } from './item-lines.js';
import { finalizeItem, readItem } from './item-lines.js';
import { parseAmount } from './money-text.js';
import { ATTRIBUTE_GROUP_PREFIX } from './profile-schema.js';

export interface ReceiptCode {
  readonly kind: string;
  readonly data: string;
}

export type DraftResult =
  | { readonly ok: true; readonly draft: Record<string, unknown> }
  | { readonly ok: false; readonly code: InputRejectCode; readonly reason: string };

class Rejected extends Error {
  constructor(
    readonly code: InputRejectCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const where = (event: LineEvent): string => `line ${event.line} "${event.text}" (${event.path})`;

function lineInvalid(event: LineEvent, message: string): Rejected {
  return new Rejected('PROFILE_LINE_INVALID', `${where(event)}: ${message}`);
}

function amountOf(event: LineEvent, compiled: CompiledProfile): number {
  const parsed = parseAmount(event.groups['amount'] ?? '', compiled.number);
  if (!parsed.ok) throw lineInvalid(event, `amount: ${parsed.message}`);
  return parsed.value;
}

/** One value printed possibly more than once (total, receipt number): all lines must agree. */
function single<T>(
  found: readonly { event: LineEvent; value: T }[],
  what: string,
): { event: LineEvent; value: T } | undefined {
  const [first, ...rest] = found;
  const other = rest.find((f) => f.value !== first?.value);
  if (first !== undefined && other !== undefined)
    throw new Rejected(
      'PROFILE_AMBIGUOUS',
      `${what}: ${where(first.event)} says ${JSON.stringify(first.value)}, ${where(other.event)} says ${JSON.stringify(other.value)}`,
    );
  return first;
}

function fieldValues(events: readonly LineEvent[], name: string) {
  return events.flatMap((event) => {
    const value = event.groups[name]?.trim();
    return event.type === 'field' && value !== undefined && value !== '' ? [{ event, value }] : [];
  });
}

/** Custom GA4 parameters captured as `(?<attr_NAME>…)` by lines of one kind, as text. */
function attributesOf(
  events: readonly LineEvent[],
  what: string,
): Record<string, string> | undefined {
  const attributes: Record<string, string> = {};
  const names = new Set(
    events.flatMap((event) =>
      Object.keys(event.groups).filter((name) => name.startsWith(ATTRIBUTE_GROUP_PREFIX)),
    ),
  );
  for (const group of names) {
    const found = single(
      events.flatMap((event) => {
        const value = event.groups[group]?.trim();
        return value === undefined || value === '' ? [] : [{ event, value }];
      }),
      `${what} ${group}`,
    );
    if (found !== undefined) attributes[group.slice(ATTRIBUTE_GROUP_PREFIX.length)] = found.value;
  }
  return Object.keys(attributes).length === 0 ? undefined : attributes;
}

function occurredAt(
  events: readonly LineEvent[],
  compiled: CompiledProfile,
): { iso: string; local: LocalDateTime } {
  const datetime = single(fieldValues(events, 'datetime'), 'datetime');
  const date = single(fieldValues(events, 'date'), 'date');
  const time = single(fieldValues(events, 'time'), 'time');
  const source = datetime ?? date;
  if (source === undefined)
    throw new Rejected(
      'PROFILE_NO_DATE',
      'no line matched a patterns.fields pattern with (?<datetime>…) or (?<date>…)',
    );
  const text =
    datetime?.value ?? [date?.value, time?.value].filter((v) => v !== undefined).join(' ');
  for (const parser of compiled.dates) {
    const local = parser.parse(text);
    if (local !== undefined)
      return { iso: zonedIso(local, compiled.profile.dates.timeZone), local };
  }
  throw lineInvalid(
    source.event,
    `"${text}" matches none of dates.formats (${compiled.profile.dates.formats.map((f) => `"${f}"`).join(', ')}) or is not a real date`,
  );
}

function entityId(
  events: readonly LineEvent[],
  options: {
    key: 'store' | 'terminal';
    source: { id?: string | undefined; prefix?: string | undefined };
  },
): string | undefined {
  const captured = single(fieldValues(events, options.key), options.key);
  return captured === undefined
    ? options.source.id
    : `${options.source.prefix ?? ''}${captured.value}`;
}

function checkCurrency(events: readonly LineEvent[], currency: string): void {
  for (const event of events) {
    const printed = event.groups['currency']?.trim();
    if (printed !== undefined && printed !== currency)
      throw lineInvalid(event, `says ${printed}, the profile's currency is ${currency}`);
  }
}

function kindOf(classified: ClassifiedReceipt): 'sale' | 'refund' | 'void' {
  const [refund] = classified.refundLines;
  const [voided] = classified.voidLines;
  if (refund !== undefined && voided !== undefined)
    throw new Rejected(
      'PROFILE_AMBIGUOUS',
      `line ${refund} is a refund marker and line ${voided} a void marker`,
    );
  if (refund !== undefined) return 'refund';
  return voided === undefined ? 'sale' : 'void';
}

function identities(codes: readonly ReceiptCode[], compiled: CompiledProfile) {
  const out: { kind: string; value: string }[] = [];
  for (const code of codes) {
    for (const rule of compiled.codes) {
      if (rule.on !== undefined && rule.on !== code.kind) continue;
      const match = rule.matchers.map((m) => m.regex.exec(code.data)).find((m) => m !== null);
      if (match === undefined) continue;
      const value = match.groups?.['value'] ?? code.data;
      if (!out.some((o) => o.kind === rule.kind && o.value === value))
        out.push({ kind: rule.kind, value });
      break;
    }
  }
  return out;
}

interface Collected {
  readonly items: { event: LineEvent; item: PricedItem; discount: number }[];
  readonly amounts: Record<AmountRole, { event: LineEvent; value: number }[]>;
  readonly payments: { method: string; amount: number }[];
}

function collect(events: readonly LineEvent[], compiled: CompiledProfile): Collected {
  const collected: Collected = {
    items: [],
    amounts: { total: [], subtotal: [], tax: [], rounding: [], change: [], discount: [] },
    payments: [],
  };
  for (const event of events) {
    switch (event.type) {
      case 'field':
        break;
      case 'item': {
        const read = readItem(event.groups, {
          number: compiled.number,
          itemIdFallback: compiled.profile.itemIdFallback,
        });
        if (!read.ok) throw lineInvalid(event, read.message);
        collected.items.push({ event, item: read.value, discount: 0 });
        break;
      }
      case 'payment':
        collected.payments.push({ method: event.method, amount: amountOf(event, compiled) });
        break;
      case 'amount': {
        const value = amountOf(event, compiled);
        collected.amounts[event.role].push({ event, value });
        if (event.role === 'discount') {
          const above = collected.items.at(-1);
          if (above === undefined)
            throw lineInvalid(event, 'a discount line with no item above it');
          above.discount += Math.abs(value);
        }
        break;
      }
    }
  }
  return collected;
}

function assemble(
  classified: ClassifiedReceipt,
  compiled: CompiledProfile,
  codes: readonly ReceiptCode[],
) {
  const { profile } = compiled;
  const events = classified.events;
  const kind = kindOf(classified);
  const collected = collect(events, compiled);
  checkCurrency(events, profile.money.currency);
  const total = single(collected.amounts.total, 'total');
  if (total === undefined)
    throw new Rejected(
      'PROFILE_NO_TOTAL',
      `no line matched patterns.total (${compiled.total.map((m) => `/${m.regex.source}/`).join(', ')})`,
    );
  const when = occurredAt(events, compiled);
  const receipt = single(fieldValues(events, 'receipt'), 'receipt number');
  const l = when.local;
  const receiptNumber =
    receipt?.value ??
    (profile.receiptNumber.fallback === 'datetime'
      ? localIso(l).replace(/-|:/g, '').replace('T', '-')
      : undefined);
  if (receiptNumber === undefined)
    throw new Rejected(
      'PROFILE_NO_RECEIPT_NUMBER',
      'no line matched a patterns.fields pattern with (?<receipt>…), and receiptNumber.fallback is none',
    );
  // Refund slips often print every amount negative; the Transaction holds what was refunded.
  const sign: 1 | -1 = kind === 'refund' && total.value < 0 ? -1 : 1;
  const lines: DraftLine[] = [];
  for (const { event, item, discount } of collected.items) {
    const final = finalizeItem(item, { discount, sign });
    if (!final.ok) throw lineInvalid(event, final.message);
    const lineAttributes = attributesOf([event], 'item');
    lines.push(
      ...(lineAttributes === undefined
        ? final.value
        : final.value.map((line) => ({ ...line, attributes: lineAttributes }))),
    );
  }
  const attributes = attributesOf(
    events.filter((event) => event.type === 'field'),
    'field',
  );
  const sum = (role: AmountRole): number =>
    collected.amounts[role].reduce((acc, a) => acc + a.value, 0) * sign;
  const subtotal = single(collected.amounts.subtotal, 'subtotal');
  const change = collected.amounts.change.reduce((acc, a) => acc + Math.abs(a.value), 0);
  const payments = collected.payments.map((p) => ({ method: p.method, amount: p.amount * sign }));
  const changeFrom = payments.find((p) => p.method === 'cash') ?? payments.at(-1);
  if (changeFrom !== undefined) changeFrom.amount -= change;
  const storeId = entityId(events, { key: 'store', source: profile.store });
  const terminalId = entityId(events, { key: 'terminal', source: profile.terminal });
  const rounding = sum('rounding');
  const found = identities(codes, compiled);
  return {
    ...(storeId === undefined ? {} : { storeId }),
    ...(terminalId === undefined ? {} : { terminalId }),
    receiptNumber,
    kind,
    occurredAt: when.iso,
    currency: profile.money.currency,
    pricesIncludeTax: profile.taxMode === 'included',
    lines,
    subtotal:
      subtotal === undefined
        ? lines.reduce((acc, line) => acc + line.lineTotal, 0)
        : subtotal.value * sign,
    tax: sum('tax'),
    ...(rounding === 0 ? {} : { rounding }),
    total: total.value * sign,
    payments,
    ...(found.length === 0 ? {} : { identities: found }),
    ...(attributes === undefined ? {} : { attributes }),
  };
}

export function buildDraft(input: {
  readonly classified: ClassifiedReceipt;
  readonly profile: CompiledProfile;
  readonly codes?: readonly ReceiptCode[];
}): DraftResult {
  try {
    return { ok: true, draft: assemble(input.classified, input.profile, input.codes ?? []) };
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, code: error.code, reason: error.reason };
    throw error;
  }
}

/**
 * One key=value journal line → a transaction draft (the same shape as a JSON line), or a coded
 * rejection. Pure.
 *
 * Format (docs/receipt-profiles.md, "key=value journals"): one record per line; `key=value` pairs
 * separated by spaces and/or `;`; values are bare (no spaces, no `;`, no `"`) or double-quoted with
 * `\"` and `\\` escapes. Keys are the JSON-lines field names (`receiptNumber`, `total`, …); items,
 * payments and identities use indexed keys `item1.sku`, `item1.quantity`, `payment1.method`,
 * `identity1.value`, ordered by index. Amounts are integer minor units, as in JSON lines. Values of
 * numeric fields that read as numbers become numbers; `pricesIncludeTax` takes `true`/`false`.
 * Anything else stays a string, so the contract names the field when it is wrong. Custom GA4
 * parameters: `attributes.<name>` (the transaction's) and `item<N>.attributes.<name>` (a line's);
 * a bare value that reads as a number is a number, a quoted one always text (`"01234"`).
 * Errors: `ENCODING_INVALID` (not UTF-8); `KV_INVALID` (no `=`, unterminated quote, duplicate key,
 * `item.sku` without an index, no pairs at all). Unknown keys are left for the contract
 * (`SCHEMA_INVALID` naming them).
 */
import type { RecordParser, RecordParseResult } from './record-parser.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

const NUMERIC_FIELDS = new Set([
  'schemaVersion',
  'subtotal',
  'tax',
  'shipping',
  'rounding',
  'total',
  'quantity',
  'unitPrice',
  'unitDiscount',
  'lineTotal',
  'amount',
  'discount',
  'taxRate',
]);
const BOOLEAN_FIELDS = new Set(['pricesIncludeTax']);
const GROUPS: Readonly<Record<string, string>> = {
  item: 'lines',
  payment: 'payments',
  identity: 'identities',
};

/** key, value, and whether the value was quoted. */
type Pair = [string, string, boolean];
type Pairs = { ok: true; pairs: Pair[] } | { ok: false; reason: string };

function tokenize(text: string): Pairs {
  const pairs: Pair[] = [];
  let i = 0;
  const separator = /[\s;]/u;
  while (i < text.length) {
    if (separator.test(text.charAt(i))) {
      i++;
      continue;
    }
    const keyMatch = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    const key = keyMatch?.[0];
    if (key === undefined || text.charAt(i + key.length) !== '=')
      return {
        ok: false,
        reason: `expected key=value at column ${i + 1}: ${JSON.stringify(text.slice(i, i + 20))}`,
      };
    i += key.length + 1;
    let value = '';
    const quoted = text.charAt(i) === '"';
    if (quoted) {
      i++;
      let closed = false;
      while (i < text.length) {
        const ch = text.charAt(i);
        if (ch === '\\' && i + 1 < text.length) {
          value += text.charAt(i + 1);
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      if (!closed) return { ok: false, reason: `unterminated quote in the value of ${key}` };
      if (i < text.length && !separator.test(text.charAt(i)))
        return { ok: false, reason: `expected a space or ; after the quoted value of ${key}` };
    } else {
      while (i < text.length && !separator.test(text.charAt(i))) {
        if (text.charAt(i) === '"')
          return { ok: false, reason: `a quote inside the bare value of ${key}; quote it whole` };
        value += text.charAt(i);
        i++;
      }
    }
    pairs.push([key, value, quoted]);
  }
  return { ok: true, pairs };
}

const NUMBER = /^-?\d+(?:\.\d+)?$/;
/** `attributes.<name>` or `item<N>.attributes.<name>`: a custom GA4 parameter. */
const ATTRIBUTE = /^(?:item(\d*)\.)?attributes\.([A-Za-z0-9_]+)$/;

function typed(field: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(field) && NUMBER.test(value)) return Number(value);
  if (BOOLEAN_FIELDS.has(field) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

export function parseKvText(text: string): RecordParseResult {
  const tokens = tokenize(text);
  if (!tokens.ok) return { ok: false, code: 'KV_INVALID', reason: tokens.reason };
  if (tokens.pairs.length === 0)
    return { ok: false, code: 'KV_INVALID', reason: 'the line holds no key=value pairs' };
  const draft: Record<string, unknown> = {};
  const indexed = new Map<string, Map<number, Record<string, unknown>>>();
  const seen = new Set<string>();
  /** The attributes object of a draft or line; undefined when it was given whole. */
  const attributesOf = (target: Record<string, unknown>): Record<string, unknown> | undefined => {
    const existing = target['attributes'];
    if (existing === undefined) {
      const created: Record<string, unknown> = {};
      target['attributes'] = created;
      return created;
    }
    return typeof existing === 'object' && existing !== null
      ? (existing as Record<string, unknown>)
      : undefined;
  };
  for (const [key, value, quoted] of tokens.pairs) {
    if (seen.has(key)) return { ok: false, code: 'KV_INVALID', reason: `duplicate key ${key}` };
    seen.add(key);
    const both = {
      ok: false,
      code: 'KV_INVALID',
      reason: `${key}: attributes given both whole and by name`,
    } as const;
    const attribute = ATTRIBUTE.exec(key);
    if (attribute !== null) {
      const [, digits, name = ''] = attribute;
      const parsed = !quoted && NUMBER.test(value) ? Number(value) : value;
      if (digits === undefined) {
        const attributes = attributesOf(draft);
        if (attributes === undefined) return both;
        attributes[name] = parsed;
        continue;
      }
      const index = Number.parseInt(digits, 10);
      if (digits === '' || index < 1 || String(index) !== digits)
        return {
          ok: false,
          code: 'KV_INVALID',
          reason: `${key}: item keys need an index from 1, e.g. item1.attributes.${name}`,
        };
      const byIndex = indexed.get('item') ?? new Map<number, Record<string, unknown>>();
      indexed.set('item', byIndex);
      const entry = byIndex.get(index) ?? {};
      byIndex.set(index, entry);
      const attributes = attributesOf(entry);
      if (attributes === undefined) return both;
      attributes[name] = parsed;
      continue;
    }
    const group = /^(item|payment|identity)(\d*)\.([A-Za-z][A-Za-z0-9]*)$/.exec(key);
    if (group === null) {
      if (key === 'attributes' && draft['attributes'] !== undefined) return both;
      draft[key] = typed(key, value);
      continue;
    }
    const [, prefix = '', digits = '', field = ''] = group;
    const index = Number.parseInt(digits, 10);
    if (digits === '' || index < 1 || String(index) !== digits)
      return {
        ok: false,
        code: 'KV_INVALID',
        reason: `${key}: ${prefix} keys need an index from 1, e.g. ${prefix}1.${field}`,
      };
    const byIndex = indexed.get(prefix) ?? new Map<number, Record<string, unknown>>();
    indexed.set(prefix, byIndex);
    const entry = byIndex.get(index) ?? {};
    byIndex.set(index, entry);
    if (field === 'attributes' && entry['attributes'] !== undefined) return both;
    entry[field] = typed(field, value);
  }
  for (const [prefix, byIndex] of indexed) {
    const target = GROUPS[prefix] ?? prefix;
    if (target in draft)
      return { ok: false, code: 'KV_INVALID', reason: `${target} given both whole and indexed` };
    draft[target] = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
  }
  return { ok: true, draft };
}

export function parseKvRecord(bytes: Uint8Array): RecordParseResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, code: 'ENCODING_INVALID', reason: 'line is not valid UTF-8' };
  }
  return parseKvText(text);
}

export const kvRecordParser: RecordParser = { parse: (frame) => parseKvRecord(frame.raw) };

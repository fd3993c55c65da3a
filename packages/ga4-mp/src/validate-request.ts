/**
 * Local validation of an MP request, returning messages in `/debug/mp/collect`'s exact shape.
 *
 * Input: a parsed body (or raw text via `validateRequestText`, which also finds duplicated
 * names and measures the body), and options (stream kind, the clock `now`). Output:
 * `ValidationMessage[]`, empty when valid. Pure: the clock is an input.
 *
 * Stricter than Google's Event Builder where it is lax: every item (not just the first) needs
 * item_id or item_name; event param values are held to 100 characters; `params` is required
 * and must be an object; currency must be a known ISO 4217 code; request keys are a closed set;
 * timestamps must be in microseconds.
 *
 * It also reports data GA4 accepts but silently drops or miscounts (the debug endpoint has no
 * severity, so these are messages like any other): more than 200 items in one event; user_data
 * values that are not SHA-256 digests where GA4 expects one (a plain-text email, phone, name or
 * street), more than 3 values per user_data list, a country that is not ISO 3166-1 alpha-2;
 * `session_id` or `engagement_time_msec` that is not a positive integer; a recommended ecommerce
 * event name in the wrong case (`Purchase` is a custom event: no revenue); and, when `now` is
 * given, a `timestamp_micros` more than 72 h before `now` or more than 15 min after it.
 */
import { ISO_3166_ALPHA2 } from './country-codes.js';
import { findDuplicateKeys } from './duplicate-keys.js';
import {
  MP_LIMITS,
  REQUIRED_EVENT_PARAMS,
  RESERVED_EVENT_NAMES,
  RESERVED_PREFIXES,
  RESERVED_USER_PROPERTY_NAMES,
  STANDARD_ITEM_PARAMS,
} from './limits.js';
import { textLength } from './text-limits.js';
import type { ValidationCode, ValidationMessage } from './wire-types.js';

export interface ValidateOptions {
  /** `web` streams need `client_id`; `app` streams need `app_instance_id`. Default `web`. */
  readonly stream?: 'web' | 'app';
  /**
   * The clock (ms since the epoch) for the timestamp window: `timestamp_micros` more than 72 h
   * before it or more than 15 min after it is reported. Without it the window is not checked:
   * callers that map with their own clock (the worker, `ga4 map --now`) check it there.
   */
  readonly now?: number;
}

/** Limits this validator enforces that `MP_LIMITS` does not name. */
const VALIDATOR_LIMITS = {
  /** Values per `user_data` list (`sha256_email_address`, `sha256_phone_number`, `address`). */
  userDataValues: 3,
} as const;

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const REQUEST_KEYS = new Set([
  'client_id',
  'app_instance_id',
  'user_id',
  'timestamp_micros',
  'user_properties',
  'user_data',
  'consent',
  'non_personalized_ads',
  'user_location',
  'ip_override',
  'device',
  'user_agent',
  'validation_behavior',
  'events',
]);
/** Parameters GA4 itself defines for MP; exempt from the reserved-name rules. */
const SESSION_PARAMS = new Set(['session_id', 'engagement_time_msec']);
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const MICROS_MIN = 1e15; // 2001-09-09 in µs; a millisecond timestamp is ~1e12
const HOUR_MS = 3_600_000;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** GA4's recommended ecommerce events; a name that differs only in case is a custom event. */
// prettier-ignore
const ECOMMERCE_EVENTS: ReadonlySet<string> = new Set([
  'add_payment_info', 'add_shipping_info', 'add_to_cart', 'add_to_wishlist', 'begin_checkout',
  'purchase', 'refund', 'remove_from_cart', 'select_item', 'select_promotion', 'view_cart',
  'view_item', 'view_item_list', 'view_promotion',
]);
const ADDRESS_HASHED_KEYS = ['sha256_first_name', 'sha256_last_name', 'sha256_street'];
const ADDRESS_PLAIN_KEYS = ['city', 'region', 'postal_code', 'country'];

type Report = (fieldPath: string, code: ValidationCode, description: string) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkName(
  name: string,
  context: { path: string; what: string; report: Report; maxLength: number },
): boolean {
  const { path, what, report, maxLength } = context;
  if (textLength(name) > maxLength) {
    report(path, 'NAME_INVALID', `${what} [${name}] is longer than ${maxLength} characters.`);
    return false;
  }
  if (RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    report(
      path,
      'NAME_RESERVED',
      `${what} [${name}] uses a reserved prefix (${RESERVED_PREFIXES.join(', ')}).`,
    );
    return false;
  }
  if (!NAME_PATTERN.test(name)) {
    report(
      path,
      'NAME_INVALID',
      `${what} [${name}] is invalid. Names must start with an alphabetic character and contain only alphanumeric characters and underscores.`,
    );
    return false;
  }
  return true;
}

function checkTimestamp(
  value: unknown,
  context: { path: string; report: Report; now: number | undefined },
): void {
  const { path, report, now } = context;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    report(
      path,
      'VALUE_INVALID',
      'timestamp_micros must be a non-negative integer of microseconds.',
    );
  } else if (value < MICROS_MIN) {
    report(
      path,
      'VALUE_INVALID',
      `timestamp_micros [${value}] looks like milliseconds or seconds; it must be in microseconds.`,
    );
  } else if (now !== undefined) {
    const aheadMs = value / 1000 - now;
    if (-aheadMs > MP_LIMITS.maxBackdateHours * HOUR_MS) {
      report(
        path,
        'VALUE_OUT_OF_BOUNDS',
        `timestamp_micros [${value}] is ${(-aheadMs / HOUR_MS).toFixed(1)} h old; GA4 drops events older than ${MP_LIMITS.maxBackdateHours} h.`,
      );
    } else if (aheadMs > MP_LIMITS.futureToleranceMs) {
      report(
        path,
        'VALUE_OUT_OF_BOUNDS',
        `timestamp_micros [${value}] is ${Math.round(aheadMs / 60_000)} min in the future; more than ${MP_LIMITS.futureToleranceMs / 60_000} min ahead is clock skew.`,
      );
    }
  }
}

/** A positive integer: a safe-integer number, or a string of digits (how session ids travel). */
function isPositiveInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1;
  return typeof value === 'string' && /^0*[1-9]\d*$/.test(value);
}

function checkSessionParam(
  key: string,
  value: unknown,
  context: { path: string; report: Report },
): void {
  if (isPositiveInteger(value)) return;
  context.report(
    context.path,
    'VALUE_INVALID',
    key === 'engagement_time_msec'
      ? `engagement_time_msec ${JSON.stringify(value)} must be a whole number of milliseconds, at least 1: GA4 does not count events without engagement time in its reports.`
      : `session_id ${JSON.stringify(value)} must be a positive integer (a number or a string of digits).`,
  );
}

function checkScalar(
  value: unknown,
  context: { path: string; report: Report; maxLength: number },
): void {
  if (typeof value === 'string') {
    // counted like the mapper cuts (text-limits.ts): UTF-16 units, as Google counts
    if (textLength(value) > context.maxLength) {
      context.report(
        context.path,
        'VALUE_OUT_OF_BOUNDS',
        `Value is ${textLength(value)} characters long; the limit is ${context.maxLength}.`,
      );
    }
  } else if (typeof value !== 'number' || !Number.isFinite(value)) {
    context.report(context.path, 'VALUE_INVALID', 'Value must be a string or a finite number.');
  }
}

function checkItem(item: unknown, context: { path: string; report: Report }): void {
  const { path, report } = context;
  if (!isRecord(item)) {
    report(path, 'VALUE_INVALID', 'Each item must be an object.');
    return;
  }
  const hasId = typeof item['item_id'] === 'string' && item['item_id'] !== '';
  const hasName = typeof item['item_name'] === 'string' && item['item_name'] !== '';
  if (!hasId && !hasName)
    report(path, 'VALUE_REQUIRED', 'Item requires either item_id or item_name.');
  let custom = 0;
  for (const [key, value] of Object.entries(item)) {
    const keyPath = `${path}.${key}`;
    if (!STANDARD_ITEM_PARAMS.has(key)) {
      custom++;
      if (
        !checkName(key, {
          path: keyPath,
          what: 'Item parameter name',
          report,
          maxLength: MP_LIMITS.paramNameLength,
        })
      )
        continue;
    }
    if (['price', 'quantity', 'discount', 'index'].includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        report(keyPath, 'VALUE_INVALID', `${key} must be a number.`);
      else if (key === 'quantity' && value <= 0)
        report(keyPath, 'VALUE_INVALID', 'quantity must be positive.');
      continue;
    }
    checkScalar(value, { path: keyPath, report, maxLength: MP_LIMITS.itemParamValueLength });
  }
  if (custom > MP_LIMITS.customItemParams) {
    report(
      path,
      'EXCEEDED_MAX_ENTITIES',
      `Item has ${custom} custom parameters; the limit is ${MP_LIMITS.customItemParams}.`,
    );
  }
}

function checkEvent(
  event: unknown,
  context: { index: number; report: Report; now: number | undefined },
): void {
  const { index, report } = context;
  const path = `events[${index}]`;
  if (!isRecord(event)) {
    report(path, 'VALUE_INVALID', `Event at index: [${index}] must be an object.`);
    return;
  }
  const name = event['name'];
  if (typeof name !== 'string' || name === '') {
    report(`${path}.name`, 'VALUE_REQUIRED', `Event at index: [${index}] requires a name.`);
  } else if (RESERVED_EVENT_NAMES.has(name)) {
    report(
      `${path}.name`,
      'NAME_RESERVED',
      `Event at index: [${index}] has reserved name [${name}].`,
    );
  } else {
    checkName(name, {
      path: `${path}.name`,
      what: `Event at index: [${index}] has name`,
      report,
      maxLength: MP_LIMITS.eventNameLength,
    });
    const lower = name.toLowerCase();
    if (lower !== name && ECOMMERCE_EVENTS.has(lower)) {
      report(
        `${path}.name`,
        'NAME_INVALID',
        `Event at index: [${index}] is named [${name}], not [${lower}]: event names are case-sensitive, so GA4 records it as a custom event, without revenue or items.`,
      );
    }
  }
  for (const key of Object.keys(event)) {
    if (!['name', 'params', 'timestamp_micros'].includes(key)) {
      report(
        `${path}.${key}`,
        'NAME_INVALID',
        `Unknown field [${key}] on event at index: [${index}].`,
      );
    }
  }
  if (event['timestamp_micros'] !== undefined)
    checkTimestamp(event['timestamp_micros'], {
      path: `${path}.timestamp_micros`,
      report,
      now: context.now,
    });
  const params = event['params'];
  if (params === undefined) {
    report(
      `${path}.params`,
      'VALUE_REQUIRED',
      `Event at index: [${index}] requires params (an object, possibly empty).`,
    );
    return;
  }
  if (!isRecord(params)) {
    report(
      `${path}.params`,
      'VALUE_INVALID',
      `params of event at index: [${index}] must be an object, not ${Array.isArray(params) ? 'an array' : typeof params}.`,
    );
    return;
  }
  const entries = Object.entries(params);
  if (entries.length > MP_LIMITS.paramsPerEvent) {
    report(
      `${path}.params`,
      'EXCEEDED_MAX_ENTITIES',
      `Event at index: [${index}] has ${entries.length} parameters; the limit is ${MP_LIMITS.paramsPerEvent}.`,
    );
  }
  for (const [key, value] of entries) {
    const keyPath = `${path}.params.${key}`;
    if (SESSION_PARAMS.has(key)) {
      checkSessionParam(key, value, { path: keyPath, report });
      continue;
    }
    if (
      !checkName(key, {
        path: keyPath,
        what: 'Parameter name',
        report,
        maxLength: MP_LIMITS.paramNameLength,
      })
    )
      continue;
    if (key === 'items') {
      if (!Array.isArray(value)) {
        report(keyPath, 'VALUE_INVALID', 'items must be an array.');
      } else {
        if (value.length > MP_LIMITS.itemsPerEvent) {
          report(
            keyPath,
            'EXCEEDED_MAX_ENTITIES',
            `Event at index: [${index}] has ${value.length} items; GA4 keeps the first ${MP_LIMITS.itemsPerEvent} and drops the rest.`,
          );
        }
        value.forEach((item: unknown, i) => {
          checkItem(item, { path: `${keyPath}[${i}]`, report });
        });
      }
      continue;
    }
    checkScalar(value, { path: keyPath, report, maxLength: MP_LIMITS.paramValueLength });
  }
  if (typeof name !== 'string') return;
  for (const required of REQUIRED_EVENT_PARAMS[name] ?? []) {
    if (params[required] === undefined) {
      report(
        `${path}.params.${required}`,
        'VALUE_REQUIRED',
        `Event [${name}] at index: [${index}] requires parameter [${required}].`,
      );
    }
  }
  const currency = params['currency'];
  if (currency !== undefined && (typeof currency !== 'string' || !CURRENCIES.has(currency))) {
    report(
      `${path}.params.currency`,
      'VALUE_INVALID',
      `currency ${JSON.stringify(currency)} must be an ISO 4217 code such as EUR.`,
    );
  }
  if (params['value'] !== undefined && typeof params['value'] !== 'number') {
    report(`${path}.params.value`, 'VALUE_INVALID', 'value must be a number.');
  }
  if (
    params['value'] !== undefined &&
    currency === undefined &&
    !(REQUIRED_EVENT_PARAMS[name] ?? []).includes('currency')
  ) {
    report(`${path}.params.currency`, 'VALUE_REQUIRED', 'currency is required when value is set.');
  }
  if (params['transaction_id'] === '') {
    report(
      `${path}.params.transaction_id`,
      'VALUE_INVALID',
      'transaction_id must not be empty: GA4 would deduplicate every such purchase together.',
    );
  }
  if (name === 'purchase' && Array.isArray(params['items']) && params['items'].length === 0) {
    report(`${path}.params.items`, 'VALUE_REQUIRED', 'purchase requires at least one item.');
  }
}

function checkUserProperties(value: unknown, report: Report): void {
  if (!isRecord(value)) {
    report('user_properties', 'VALUE_INVALID', 'user_properties must be an object.');
    return;
  }
  const entries = Object.entries(value);
  if (entries.length > MP_LIMITS.userPropertiesPerRequest) {
    report(
      'user_properties',
      'EXCEEDED_MAX_ENTITIES',
      `${entries.length} user properties; the limit is ${MP_LIMITS.userPropertiesPerRequest}.`,
    );
  }
  for (const [name, property] of entries) {
    const path = `user_properties.${name}`;
    if (RESERVED_USER_PROPERTY_NAMES.has(name)) {
      report(path, 'NAME_RESERVED', `User property name [${name}] is reserved.`);
      continue;
    }
    if (
      !checkName(name, {
        path,
        what: 'User property name',
        report,
        maxLength: MP_LIMITS.userPropertyNameLength,
      })
    )
      continue;
    if (!isRecord(property) || property['value'] === undefined) {
      report(`${path}.value`, 'VALUE_REQUIRED', 'A user property needs {"value": …}.');
      continue;
    }
    checkScalar(property['value'], {
      path: `${path}.value`,
      report,
      maxLength: MP_LIMITS.userPropertyValueLength,
    });
  }
}

function checkRequestLevel(
  body: Record<string, unknown>,
  context: { report: Report; stream: 'web' | 'app'; now: number | undefined },
): void {
  const { report, stream, now } = context;
  for (const key of Object.keys(body)) {
    if (!REQUEST_KEYS.has(key)) report(key, 'NAME_INVALID', `Unknown request field [${key}].`);
  }
  const idKey = stream === 'web' ? 'client_id' : 'app_instance_id';
  const id = body[idKey];
  if (id === undefined || id === '')
    report(idKey, 'VALUE_REQUIRED', `${idKey} is required for ${stream} streams.`);
  else if (typeof id !== 'string') report(idKey, 'VALUE_INVALID', `${idKey} must be a string.`);
  else if (stream === 'app' && !/^[0-9a-fA-F]{32}$/.test(id))
    report(idKey, 'VALUE_INVALID', 'app_instance_id must be 32 hexadecimal characters.');
  const userId = body['user_id'];
  if (userId !== undefined) {
    if (typeof userId !== 'string' || userId === '')
      report('user_id', 'VALUE_INVALID', 'user_id must be a non-empty string.');
    else if (textLength(userId) > MP_LIMITS.userIdLength)
      report(
        'user_id',
        'VALUE_OUT_OF_BOUNDS',
        `user_id is longer than ${MP_LIMITS.userIdLength} characters.`,
      );
  }
  if (body['timestamp_micros'] !== undefined)
    checkTimestamp(body['timestamp_micros'], { path: 'timestamp_micros', report, now });
  if (body['user_properties'] !== undefined) checkUserProperties(body['user_properties'], report);
  const consent = body['consent'];
  if (consent !== undefined) {
    if (!isRecord(consent)) report('consent', 'VALUE_INVALID', 'consent must be an object.');
    else {
      for (const [key, value] of Object.entries(consent)) {
        if (!['ad_user_data', 'ad_personalization'].includes(key))
          report(`consent.${key}`, 'NAME_INVALID', `Unknown consent field [${key}].`);
        else if (value !== 'GRANTED' && value !== 'DENIED')
          report(`consent.${key}`, 'VALUE_INVALID', 'Consent values are GRANTED or DENIED.');
      }
    }
  }
  if (body['user_data'] !== undefined) checkUserData(body['user_data'], report);
}

/** Why `value` is not a SHA-256 hex digest, or undefined when it is one. */
function notHashed(value: unknown): string | undefined {
  if (typeof value === 'string' && SHA256_HEX.test(value)) return undefined;
  const expected =
    'expected the SHA-256 digest of the normalised value, as 64 lower-case hex digits';
  if (typeof value !== 'string') return `${JSON.stringify(value)} is not a string; ${expected}.`;
  if (/^[0-9A-Fa-f]{64}$/.test(value)) return `digest in upper case; ${expected}.`;
  if (value.includes('@')) return `a plain-text email address; ${expected}.`;
  if (/^\+?[\d\s().-]{6,}$/.test(value)) return `a plain-text phone number; ${expected}.`;
  return `plain text or a malformed digest; ${expected}.`;
}

/** A `user_data` list: an array of at most `userDataValues` entries. */
function checkUserDataList(value: unknown, context: { path: string; report: Report }): unknown[] {
  const { path, report } = context;
  if (!Array.isArray(value)) {
    report(path, 'VALUE_INVALID', `${path} must be an array.`);
    return [];
  }
  if (value.length > VALIDATOR_LIMITS.userDataValues) {
    report(
      path,
      'EXCEEDED_MAX_ENTITIES',
      `${path} has ${value.length} values; the limit is ${VALIDATOR_LIMITS.userDataValues}.`,
    );
  }
  return value;
}

function checkAddress(address: unknown, context: { path: string; report: Report }): void {
  const { path, report } = context;
  if (!isRecord(address)) {
    report(path, 'VALUE_INVALID', 'Each address must be an object.');
    return;
  }
  for (const [key, value] of Object.entries(address)) {
    if (value === undefined) continue; // absent in JSON
    const keyPath = `${path}.${key}`;
    if (ADDRESS_HASHED_KEYS.includes(key)) {
      const problem = notHashed(value);
      if (problem !== undefined) report(keyPath, 'VALUE_INVALID', `${key}: ${problem}`);
    } else if (!ADDRESS_PLAIN_KEYS.includes(key)) {
      report(
        keyPath,
        'NAME_INVALID',
        `Unknown address field [${key}]; the fields are ${[...ADDRESS_HASHED_KEYS, ...ADDRESS_PLAIN_KEYS].join(', ')}.`,
      );
    } else if (typeof value !== 'string' || value.trim() === '') {
      report(keyPath, 'VALUE_INVALID', `${key} must be a non-empty string.`);
    } else if (SHA256_HEX.test(value)) {
      report(keyPath, 'VALUE_INVALID', `${key} looks hashed; GA4 expects it in plain text.`);
    } else if (key === 'country' && !ISO_3166_ALPHA2.has(value.trim().toUpperCase())) {
      report(
        keyPath,
        'VALUE_INVALID',
        `country ${JSON.stringify(value)} must be an ISO 3166-1 alpha-2 code such as DE.`,
      );
    }
  }
}

function checkUserData(userData: unknown, report: Report): void {
  if (!isRecord(userData)) {
    report('user_data', 'VALUE_INVALID', 'user_data must be an object.');
    return;
  }
  for (const [key, value] of Object.entries(userData)) {
    if (value === undefined) continue; // absent in JSON
    const path = `user_data.${key}`;
    if (key === 'sha256_email_address' || key === 'sha256_phone_number') {
      checkUserDataList(value, { path, report }).forEach((hash: unknown, i) => {
        const problem = notHashed(hash);
        if (problem !== undefined) report(`${path}[${i}]`, 'VALUE_INVALID', `${key}: ${problem}`);
      });
    } else if (key === 'address') {
      checkUserDataList(value, { path, report }).forEach((address: unknown, i) => {
        checkAddress(address, { path: `${path}[${i}]`, report });
      });
    } else {
      report(
        path,
        'NAME_INVALID',
        `Unknown user_data field [${key}]; the fields are sha256_email_address, sha256_phone_number, address.`,
      );
    }
  }
}

export function validateRequest(body: unknown, options: ValidateOptions = {}): ValidationMessage[] {
  const messages: ValidationMessage[] = [];
  const report: Report = (fieldPath, validationCode, description) => {
    messages.push({ fieldPath, description, validationCode });
  };
  if (!isRecord(body)) {
    report('', 'VALUE_INVALID', 'The request body must be a JSON object.');
    return messages;
  }
  const { now } = options;
  checkRequestLevel(body, { report, stream: options.stream ?? 'web', now });
  const events = body['events'];
  if (events === undefined || (Array.isArray(events) && events.length === 0)) {
    report('events', 'VALUE_REQUIRED', 'At least one event is required.');
  } else if (!Array.isArray(events)) {
    report('events', 'VALUE_INVALID', 'events must be an array.');
  } else {
    if (events.length > MP_LIMITS.eventsPerRequest) {
      report(
        'events',
        'EXCEEDED_MAX_ENTITIES',
        `${events.length} events; the limit is ${MP_LIMITS.eventsPerRequest} per request.`,
      );
    }
    events.forEach((event: unknown, index) => {
      checkEvent(event, { index, report, now });
    });
  }
  return messages;
}

/** Validates the raw body text: JSON syntax, duplicated names, size, then `validateRequest`. */
export function validateRequestText(
  text: string,
  options: ValidateOptions = {},
): ValidationMessage[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    return [
      {
        fieldPath: '',
        description: `The body is not valid JSON: ${(cause as Error).message}`,
        validationCode: 'VALUE_INVALID',
      },
    ];
  }
  const messages: ValidationMessage[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes >= MP_LIMITS.bodyBytes) {
    messages.push({
      fieldPath: '',
      description: `The body is ${bytes} bytes; it must be smaller than ${MP_LIMITS.bodyBytes}.`,
      validationCode: 'VALUE_OUT_OF_BOUNDS',
    });
  }
  for (const path of findDuplicateKeys(text)) {
    messages.push({
      fieldPath: path,
      description: `Name [${path.split('.').at(-1) ?? path}] appears more than once.`,
      validationCode: 'NAME_DUPLICATED',
    });
  }
  return [...messages, ...validateRequest(body, options)];
}

/**
 * Local validation of an MP request, returning messages in `/debug/mp/collect`'s exact shape.
 *
 * Input: a parsed body (or raw text via `validateRequestText`, which also finds duplicated
 * names and measures the body). Output: `ValidationMessage[]`, empty when valid. Pure.
 *
 * Stricter than Google's Event Builder where it is lax: every item (not just the first) needs
 * item_id or item_name; event param values are held to 100 characters; `params` is required
 * and must be an object; currency must be a known ISO 4217 code; request keys are a closed set;
 * timestamps must be in microseconds.
 */
import { findDuplicateKeys } from './duplicate-keys.js';
import {
  MP_LIMITS,
  REQUIRED_EVENT_PARAMS,
  RESERVED_EVENT_NAMES,
  RESERVED_PREFIXES,
  RESERVED_USER_PROPERTY_NAMES,
  STANDARD_ITEM_PARAMS,
} from './limits.js';
import type { ValidationCode, ValidationMessage } from './wire-types.js';

export interface ValidateOptions {
  /** `web` streams need `client_id`; `app` streams need `app_instance_id`. Default `web`. */
  readonly stream?: 'web' | 'app';
}

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

type Report = (fieldPath: string, code: ValidationCode, description: string) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkName(
  name: string,
  context: { path: string; what: string; report: Report; maxLength: number },
): boolean {
  const { path, what, report, maxLength } = context;
  if (name.length > maxLength) {
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

function checkTimestamp(value: unknown, path: string, report: Report): void {
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
  }
}

function checkScalar(
  value: unknown,
  context: { path: string; report: Report; maxLength: number },
): void {
  if (typeof value === 'string') {
    if (value.length > context.maxLength) {
      context.report(
        context.path,
        'VALUE_OUT_OF_BOUNDS',
        `Value is ${value.length} characters long; the limit is ${context.maxLength}.`,
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

function checkEvent(event: unknown, context: { index: number; report: Report }): void {
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
    checkTimestamp(event['timestamp_micros'], `${path}.timestamp_micros`, report);
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
    if (
      !SESSION_PARAMS.has(key) &&
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
  context: { report: Report; stream: 'web' | 'app' },
): void {
  const { report, stream } = context;
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
    else if (userId.length > MP_LIMITS.userIdLength)
      report(
        'user_id',
        'VALUE_OUT_OF_BOUNDS',
        `user_id is longer than ${MP_LIMITS.userIdLength} characters.`,
      );
  }
  if (body['timestamp_micros'] !== undefined)
    checkTimestamp(body['timestamp_micros'], 'timestamp_micros', report);
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
  const userData = body['user_data'];
  if (userData !== undefined) {
    if (!isRecord(userData)) report('user_data', 'VALUE_INVALID', 'user_data must be an object.');
    else {
      for (const key of ['sha256_email_address', 'sha256_phone_number']) {
        const hashes = userData[key];
        if (hashes === undefined) continue;
        if (
          !Array.isArray(hashes) ||
          !hashes.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))
        ) {
          report(
            `user_data.${key}`,
            'VALUE_INVALID',
            `${key} must be an array of lower-case SHA-256 hex digests.`,
          );
        }
      }
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
  checkRequestLevel(body, { report, stream: options.stream ?? 'web' });
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
      checkEvent(event, { index, report });
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

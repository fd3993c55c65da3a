import { describe, expect, it } from 'vitest';

import { VALIDATION_CODES, validateRequest, validateRequestText } from './index.js';
import type { ValidationCode } from './index.js';

const item = { item_id: 'SKU-1', item_name: 'Pen', price: 1.5, quantity: 2 };
const purchase = {
  name: 'purchase',
  params: { transaction_id: 'T-1', value: 3, currency: 'EUR', items: [item] },
};
const valid = { client_id: '123.456', events: [purchase] };

function withEvent(params: Record<string, unknown>, name = 'purchase'): unknown {
  return { client_id: '123.456', events: [{ name, params: { ...purchase.params, ...params } }] };
}

const longString = 'x'.repeat(101);
const manyParams = Object.fromEntries(Array.from({ length: 22 }, (_, i) => [`p${i}`, i]));
const manyCustomItemParams = Object.fromEntries(
  Array.from({ length: 11 }, (_, i) => [`c${i}`, 'v']),
);

/** [case, body, expected code, expected fieldPath] — every rule and every code. */
const invalid: [string, unknown, ValidationCode, string][] = [
  ['body not an object', [], 'VALUE_INVALID', ''],
  ['missing client_id', { events: [purchase] }, 'VALUE_REQUIRED', 'client_id'],
  ['client_id not a string', { client_id: 5, events: [purchase] }, 'VALUE_INVALID', 'client_id'],
  ['unknown request field', { ...valid, clientId: 'x' }, 'NAME_INVALID', 'clientId'],
  ['user_id too long', { ...valid, user_id: 'u'.repeat(257) }, 'VALUE_OUT_OF_BOUNDS', 'user_id'],
  [
    'request timestamp in ms',
    { ...valid, timestamp_micros: 1_795_681_205_000 },
    'VALUE_INVALID',
    'timestamp_micros',
  ],
  ['no events', { client_id: '1.2', events: [] }, 'VALUE_REQUIRED', 'events'],
  ['events not an array', { client_id: '1.2', events: {} }, 'VALUE_INVALID', 'events'],
  [
    '26 events',
    { client_id: '1.2', events: Array.from({ length: 26 }, () => purchase) },
    'EXCEEDED_MAX_ENTITIES',
    'events',
  ],
  [
    'event without name',
    { client_id: '1.2', events: [{ params: {} }] },
    'VALUE_REQUIRED',
    'events[0].name',
  ],
  [
    'event name starting with a digit',
    { client_id: '1.2', events: [{ name: '1st', params: {} }] },
    'NAME_INVALID',
    'events[0].name',
  ],
  [
    'event name with a dash',
    { client_id: '1.2', events: [{ name: 'my-event', params: {} }] },
    'NAME_INVALID',
    'events[0].name',
  ],
  [
    'event name of 41 chars',
    { client_id: '1.2', events: [{ name: 'e'.repeat(41), params: {} }] },
    'NAME_INVALID',
    'events[0].name',
  ],
  [
    'reserved event name',
    { client_id: '1.2', events: [{ name: 'session_start', params: {} }] },
    'NAME_RESERVED',
    'events[0].name',
  ],
  [
    'reserved event prefix',
    { client_id: '1.2', events: [{ name: 'ga_purchase', params: {} }] },
    'NAME_RESERVED',
    'events[0].name',
  ],
  [
    'underscore event prefix',
    { client_id: '1.2', events: [{ name: '_badEventName', params: {} }] },
    'NAME_RESERVED',
    'events[0].name',
  ],
  [
    'params as an array',
    { client_id: '1.2', events: [{ name: 'custom', params: [] }] },
    'VALUE_INVALID',
    'events[0].params',
  ],
  [
    'params missing',
    { client_id: '1.2', events: [{ name: 'custom' }] },
    'VALUE_REQUIRED',
    'events[0].params',
  ],
  ['26 params', withEvent(manyParams), 'EXCEEDED_MAX_ENTITIES', 'events[0].params'],
  [
    'param value of 101 chars',
    withEvent({ note: longString }),
    'VALUE_OUT_OF_BOUNDS',
    'events[0].params.note',
  ],
  [
    'param value an object',
    withEvent({ note: { a: 1 } }),
    'VALUE_INVALID',
    'events[0].params.note',
  ],
  ['param value null', withEvent({ note: null }), 'VALUE_INVALID', 'events[0].params.note'],
  [
    'param name reserved prefix',
    withEvent({ google_x: 1 }),
    'NAME_RESERVED',
    'events[0].params.google_x',
  ],
  ['param name invalid', withEvent({ 'bad name': 1 }), 'NAME_INVALID', 'events[0].params.bad name'],
  [
    'purchase without transaction_id',
    withEvent({ transaction_id: undefined }),
    'VALUE_REQUIRED',
    'events[0].params.transaction_id',
  ],
  [
    'purchase without value',
    withEvent({ value: undefined }),
    'VALUE_REQUIRED',
    'events[0].params.value',
  ],
  [
    'purchase without currency',
    withEvent({ currency: undefined }),
    'VALUE_REQUIRED',
    'events[0].params.currency',
  ],
  [
    'purchase without items',
    withEvent({ items: undefined }),
    'VALUE_REQUIRED',
    'events[0].params.items',
  ],
  [
    'purchase with empty items',
    withEvent({ items: [] }),
    'VALUE_REQUIRED',
    'events[0].params.items',
  ],
  [
    'refund without transaction_id',
    withEvent({ transaction_id: undefined }, 'refund'),
    'VALUE_REQUIRED',
    'events[0].params.transaction_id',
  ],
  [
    'empty transaction_id',
    withEvent({ transaction_id: '' }),
    'VALUE_INVALID',
    'events[0].params.transaction_id',
  ],
  [
    'lower-case currency',
    withEvent({ currency: 'eur' }),
    'VALUE_INVALID',
    'events[0].params.currency',
  ],
  [
    'made-up currency',
    withEvent({ currency: 'EURO' }),
    'VALUE_INVALID',
    'events[0].params.currency',
  ],
  ['value as a string', withEvent({ value: '3.00' }), 'VALUE_INVALID', 'events[0].params.value'],
  [
    'custom event value without currency',
    { client_id: '1.2', events: [{ name: 'custom', params: { value: 1 } }] },
    'VALUE_REQUIRED',
    'events[0].params.currency',
  ],
  [
    'first item fine, second without id or name',
    withEvent({ items: [item, { price: 1, quantity: 1 }] }),
    'VALUE_REQUIRED',
    'events[0].params.items[1]',
  ],
  [
    'item price as string',
    withEvent({ items: [{ ...item, price: '1.50' }] }),
    'VALUE_INVALID',
    'events[0].params.items[0].price',
  ],
  [
    'item quantity zero',
    withEvent({ items: [{ ...item, quantity: 0 }] }),
    'VALUE_INVALID',
    'events[0].params.items[0].quantity',
  ],
  [
    'item name of 101 chars',
    withEvent({ items: [{ ...item, item_name: longString }] }),
    'VALUE_OUT_OF_BOUNDS',
    'events[0].params.items[0].item_name',
  ],
  [
    '11 custom item params',
    withEvent({ items: [{ ...item, ...manyCustomItemParams }] }),
    'EXCEEDED_MAX_ENTITIES',
    'events[0].params.items[0]',
  ],
  [
    'item not an object',
    withEvent({ items: ['SKU-1'] }),
    'VALUE_INVALID',
    'events[0].params.items[0]',
  ],
  [
    'event timestamp in ms',
    { client_id: '1.2', events: [{ ...purchase, timestamp_micros: 1_795_681_205_000 }] },
    'VALUE_INVALID',
    'events[0].timestamp_micros',
  ],
  [
    'unknown event field',
    { client_id: '1.2', events: [{ ...purchase, items: [] }] },
    'NAME_INVALID',
    'events[0].items',
  ],
  [
    '26 user properties',
    {
      ...valid,
      user_properties: Object.fromEntries(
        Array.from({ length: 26 }, (_, i) => [`u${i}`, { value: 1 }]),
      ),
    },
    'EXCEEDED_MAX_ENTITIES',
    'user_properties',
  ],
  [
    'user property name of 25 chars',
    { ...valid, user_properties: { ['u'.repeat(25)]: { value: 1 } } },
    'NAME_INVALID',
    `user_properties.${'u'.repeat(25)}`,
  ],
  [
    'user property value of 37 chars',
    { ...valid, user_properties: { tier: { value: 'v'.repeat(37) } } },
    'VALUE_OUT_OF_BOUNDS',
    'user_properties.tier.value',
  ],
  [
    'reserved user property',
    { ...valid, user_properties: { first_visit_time: { value: 1 } } },
    'NAME_RESERVED',
    'user_properties.first_visit_time',
  ],
  [
    'consent value',
    { ...valid, consent: { ad_user_data: 'YES' } },
    'VALUE_INVALID',
    'consent.ad_user_data',
  ],
  [
    'user_data not hashed',
    { ...valid, user_data: { sha256_email_address: ['a@b.c'] } },
    'VALUE_INVALID',
    'user_data.sha256_email_address[0]',
  ],
  [
    'app stream without app_instance_id',
    { events: [purchase] },
    'VALUE_REQUIRED',
    'app_instance_id',
  ],
];

describe('validateRequest', () => {
  it('accepts a valid purchase', () => {
    expect(validateRequest(valid)).toEqual([]);
  });

  it('accepts session_id and engagement_time_msec, a refund without items, and hashed user_data', () => {
    const refund = {
      name: 'refund',
      params: {
        transaction_id: 'T-1',
        value: 3,
        currency: 'EUR',
        session_id: 1,
        engagement_time_msec: 1,
      },
    };
    const body = {
      ...valid,
      user_id: 'u1',
      consent: { ad_user_data: 'GRANTED' },
      user_data: { sha256_email_address: ['a'.repeat(64)] },
      events: [refund],
    };
    expect(validateRequest(body)).toEqual([]);
  });

  it.each(invalid)('%s', (name, body, code, fieldPath) => {
    const messages = validateRequest(body, {
      stream: name.startsWith('app stream') ? 'app' : 'web',
    });
    expect(messages).toContainEqual({
      fieldPath,
      description: expect.any(String) as unknown,
      validationCode: code,
    });
  });

  it('covers every validation code in the table (with NAME_DUPLICATED below)', () => {
    const covered = new Set<string>([...invalid.map(([, , code]) => code), 'NAME_DUPLICATED']);
    expect([...covered].sort()).toEqual([...VALIDATION_CODES].sort());
  });
});

describe('validateRequestText', () => {
  it('reports duplicated names', () => {
    const text =
      '{"client_id":"1.2","events":[{"name":"purchase","params":{"transaction_id":"T","value":1,"value":2,"currency":"EUR","items":[{"item_id":"a"}]}}]}';
    expect(validateRequestText(text)).toContainEqual({
      fieldPath: 'events[0].params.value',
      description: expect.any(String) as unknown,
      validationCode: 'NAME_DUPLICATED',
    });
  });

  it('reports a body of 130,000 bytes or more', () => {
    const events = Array.from({ length: 25 }, (_, i) => ({
      name: 'purchase',
      params: {
        transaction_id: `T${i}`,
        value: 1,
        currency: 'EUR',
        items: Array.from({ length: 60 }, () => ({ item_id: 'x'.repeat(90) })),
      },
    }));
    const text = JSON.stringify({ client_id: '1.2', events });
    expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(130_000);
    expect(validateRequestText(text).map((m) => m.validationCode)).toContain('VALUE_OUT_OF_BOUNDS');
  });

  it('reports JSON syntax errors', () => {
    expect(validateRequestText('{"client_id":')).toMatchObject([
      { validationCode: 'VALUE_INVALID', fieldPath: '' },
    ]);
  });
});

describe('validateRequest: data GA4 would drop or miscount', () => {
  const hash = (c: string): string => c.repeat(64);
  const now = Date.parse('2026-11-26T12:00:00Z');
  const HOUR = 3_600_000;
  const address = {
    sha256_first_name: hash('a'),
    sha256_last_name: hash('b'),
    sha256_street: hash('c'),
    city: 'berlin',
    region: 'be',
    postal_code: '10115',
    country: 'DE',
  };
  const withUserData = (user_data: unknown): unknown => ({ ...valid, user_data });
  const withSession = (params: Record<string, unknown>): unknown => withEvent(params);
  const named = (name: string): unknown => ({ ...valid, events: [{ ...purchase, name }] });
  const items = (n: number): unknown => withEvent({ items: Array.from({ length: n }, () => item) });
  const at = (offsetMs: number, level: 'event' | 'request'): unknown => {
    const timestamp_micros = (now + offsetMs) * 1000;
    return level === 'request'
      ? { ...valid, timestamp_micros }
      : { ...valid, events: [{ ...purchase, timestamp_micros }] };
  };

  /** [case, body, expected code, expected fieldPath, description must match] */
  const failing: [string, unknown, ValidationCode, string, RegExp][] = [
    ['201 items', items(201), 'EXCEEDED_MAX_ENTITIES', 'events[0].params.items', /200/],
    [
      'plain-text email',
      withUserData({ sha256_email_address: [hash('a'), 'Jane.Doe@example.com'] }),
      'VALUE_INVALID',
      'user_data.sha256_email_address[1]',
      /plain-text email/,
    ],
    [
      'plain-text phone',
      withUserData({ sha256_phone_number: ['+49 30 1234567'] }),
      'VALUE_INVALID',
      'user_data.sha256_phone_number[0]',
      /plain-text phone/,
    ],
    [
      'upper-case digest',
      withUserData({ sha256_phone_number: [hash('A')] }),
      'VALUE_INVALID',
      'user_data.sha256_phone_number[0]',
      /upper case/,
    ],
    [
      'digest that is a number',
      withUserData({ sha256_email_address: [42] }),
      'VALUE_INVALID',
      'user_data.sha256_email_address[0]',
      /not a string/,
    ],
    [
      'four email hashes',
      withUserData({ sha256_email_address: ['a', 'b', 'c', 'd'].map(hash) }),
      'EXCEEDED_MAX_ENTITIES',
      'user_data.sha256_email_address',
      /limit is 3/,
    ],
    [
      'email hashes not an array',
      withUserData({ sha256_email_address: hash('a') }),
      'VALUE_INVALID',
      'user_data.sha256_email_address',
      /array/,
    ],
    [
      'unknown user_data field',
      withUserData({ email: 'jane@example.com' }),
      'NAME_INVALID',
      'user_data.email',
      /Unknown user_data field/,
    ],
    [
      'address not an array',
      withUserData({ address }),
      'VALUE_INVALID',
      'user_data.address',
      /array/,
    ],
    [
      'four addresses',
      withUserData({ address: [address, address, address, address] }),
      'EXCEEDED_MAX_ENTITIES',
      'user_data.address',
      /limit is 3/,
    ],
    [
      'address not an object',
      withUserData({ address: ['Hauptstr. 1'] }),
      'VALUE_INVALID',
      'user_data.address[0]',
      /object/,
    ],
    [
      'plain-text first name',
      withUserData({ address: [{ ...address, sha256_first_name: 'Jane' }] }),
      'VALUE_INVALID',
      'user_data.address[0].sha256_first_name',
      /plain text/,
    ],
    [
      'plain-text last name',
      withUserData({ address: [{ ...address, sha256_last_name: 'doe' }] }),
      'VALUE_INVALID',
      'user_data.address[0].sha256_last_name',
      /plain text/,
    ],
    [
      'plain-text street',
      withUserData({ address: [{ ...address, sha256_street: '1 main st' }] }),
      'VALUE_INVALID',
      'user_data.address[0].sha256_street',
      /plain text/,
    ],
    [
      'unhashed field name',
      withUserData({ address: [{ ...address, first_name: 'jane' }] }),
      'NAME_INVALID',
      'user_data.address[0].first_name',
      /sha256_first_name/,
    ],
    [
      'hashed city',
      withUserData({ address: [{ ...address, city: hash('d') }] }),
      'VALUE_INVALID',
      'user_data.address[0].city',
      /plain text/,
    ],
    [
      'empty postal code',
      withUserData({ address: [{ ...address, postal_code: ' ' }] }),
      'VALUE_INVALID',
      'user_data.address[0].postal_code',
      /non-empty/,
    ],
    [
      'country name instead of code',
      withUserData({ address: [{ ...address, country: 'Germany' }] }),
      'VALUE_INVALID',
      'user_data.address[0].country',
      /ISO 3166-1 alpha-2/,
    ],
    [
      'unassigned country code',
      withUserData({ address: [{ ...address, country: 'XX' }] }),
      'VALUE_INVALID',
      'user_data.address[0].country',
      /ISO 3166-1 alpha-2/,
    ],
    ...[0, -5, 1.5, '0', '1.5', null].map(
      (value): [string, unknown, ValidationCode, string, RegExp] => [
        `engagement_time_msec ${JSON.stringify(value)}`,
        withSession({ session_id: 1_764_150_000, engagement_time_msec: value }),
        'VALUE_INVALID',
        'events[0].params.engagement_time_msec',
        /at least 1/,
      ],
    ),
    ...[0, -1, 1.5, '', 'abc', '-3', null].map(
      (value): [string, unknown, ValidationCode, string, RegExp] => [
        `session_id ${JSON.stringify(value)}`,
        withSession({ session_id: value, engagement_time_msec: 1 }),
        'VALUE_INVALID',
        'events[0].params.session_id',
        /positive integer/,
      ],
    ),
    [
      'event 72 h and 1 s old',
      at(-72 * HOUR - 1000, 'event'),
      'VALUE_OUT_OF_BOUNDS',
      'events[0].timestamp_micros',
      /72\.0 h old/,
    ],
    [
      'request timestamp 10 days old',
      at(-240 * HOUR, 'request'),
      'VALUE_OUT_OF_BOUNDS',
      'timestamp_micros',
      /240\.0 h old/,
    ],
    [
      'event 16 min in the future',
      at(16 * 60_000, 'event'),
      'VALUE_OUT_OF_BOUNDS',
      'events[0].timestamp_micros',
      /16 min in the future/,
    ],
    [
      'request timestamp 2 h in the future',
      at(2 * HOUR, 'request'),
      'VALUE_OUT_OF_BOUNDS',
      'timestamp_micros',
      /120 min in the future/,
    ],
    ...['Purchase', 'REFUND', 'Add_To_Cart', 'view_Item'].map(
      (name): [string, unknown, ValidationCode, string, RegExp] => [
        `event named ${name}`,
        named(name),
        'NAME_INVALID',
        'events[0].name',
        /custom event, without revenue/,
      ],
    ),
  ];

  const passing: [string, unknown][] = [
    ['200 items', items(200)],
    [
      'three email and phone hashes',
      withUserData({
        sha256_email_address: ['a', 'b', 'c'].map(hash),
        sha256_phone_number: [hash('0')],
      }),
    ],
    [
      'three full addresses, country in either case',
      withUserData({
        address: [address, { ...address, country: 'de' }, { city: 'paris', country: 'FR' }],
      }),
    ],
    [
      'engagement_time_msec 1, session_id a number',
      withSession({
        session_id: 1_764_150_000,
        engagement_time_msec: 1,
      }),
    ],
    [
      "session_id and engagement_time_msec as digit strings (as in Google's examples)",
      withSession({ session_id: '1764150000', engagement_time_msec: '100' }),
    ],
    ['event exactly 72 h old', at(-72 * HOUR, 'event')],
    ['request timestamp 1 h old', at(-HOUR, 'request')],
    ['event 15 min in the future', at(15 * 60_000, 'event')],
    [
      'lower-case ecommerce names',
      { ...valid, events: [purchase, { ...purchase, name: 'refund' }] },
    ],
    ['mixed-case custom event', named('Store_Visit')],
  ];

  it.each(failing)('%s', (_name, body, code, fieldPath, description) => {
    const messages = validateRequest(body, { now });
    expect(messages).toContainEqual({
      fieldPath,
      description: expect.stringMatching(description) as unknown,
      validationCode: code,
    });
  });

  it.each(passing)('accepts %s', (_name, body) => {
    expect(validateRequest(body, { now })).toEqual([]);
  });

  it('checks the timestamp window only when given a clock', () => {
    expect(validateRequest(at(-240 * HOUR, 'event'))).toEqual([]);
  });

  it('validateRequestText passes the clock on', () => {
    expect(validateRequestText(JSON.stringify(at(-240 * HOUR, 'event')), { now })).toMatchObject([
      { fieldPath: 'events[0].timestamp_micros', validationCode: 'VALUE_OUT_OF_BOUNDS' },
    ]);
  });
});

/**
 * GA4 user properties of a request. Pure.
 *
 * - `UserPropertiesSchema`: what an identity record may carry (`properties`): at most 25, names
 *   by GA4's user property rule (a letter, then letters, digits or `_`, at most 24; no reserved
 *   prefix `_`, `ga_`, `google_`, `firebase_`; not a reserved name such as `user_id`), values a
 *   text of 1–36 characters (UTF-16 units, as GA4 counts) or a finite number.
 * - `UserPropertyMappingSchema`: `mapping.userProperties` of the worker config, a user property
 *   name → the transaction field it takes its value from, one of `USER_PROPERTY_FIELDS`
 *   (`storeId`, `terminalId`: ids of at most 24 characters, never personal data).
 * - `userPropertiesOf(transaction, mapping, record)`: the request's `user_properties`
 *   (`{ name: { value } }`), or undefined when there are none. The config's win on a name both
 *   give (they are this receipt's facts, the record is the last CRM import); at most 25 in all,
 *   the config's first, then the record's in their order.
 */
import { MP_LIMITS, RESERVED_PREFIXES, RESERVED_USER_PROPERTY_NAMES } from '@pos-ga4/ga4-mp';
import type { MpRequest } from '@pos-ga4/ga4-mp';
import type { Transaction } from '@pos-ga4/transaction';
import { z } from 'zod';

/** Transaction fields a user property may be taken from. */
export const USER_PROPERTY_FIELDS = ['storeId', 'terminalId'] as const;
export type UserPropertyField = (typeof USER_PROPERTY_FIELDS)[number];

export const UserPropertyNameSchema = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z][A-Za-z0-9_]{0,${MP_LIMITS.userPropertyNameLength - 1}}$`),
    `a GA4 user property name: a letter, then letters, digits or _, at most ${MP_LIMITS.userPropertyNameLength} characters`,
  )
  .refine(
    (name) => !RESERVED_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix)),
    `a GA4 user property name may not start with ${RESERVED_PREFIXES.join(', ')}`,
  )
  .refine(
    (name) => !RESERVED_USER_PROPERTY_NAMES.has(name),
    `GA4 reserves the user property names ${[...RESERVED_USER_PROPERTY_NAMES].join(', ')}`,
  );

const VALUE_RULE = `a GA4 user property value: a text of 1-${MP_LIMITS.userPropertyValueLength} characters or a finite number`;
export const UserPropertyValueSchema = z.union(
  [z.string().min(1, VALUE_RULE).max(MP_LIMITS.userPropertyValueLength, VALUE_RULE), z.number()],
  { error: VALUE_RULE },
);

const byName = <T extends z.ZodType>(value: T) =>
  z.record(UserPropertyNameSchema, value, {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? `${JSON.stringify(issue.input)} is not a GA4 user property name (a letter, then letters, digits or _, at most ${MP_LIMITS.userPropertyNameLength}; no reserved prefix or name)`
        : undefined,
  });

const atMost25 = (properties: Record<string, unknown>): boolean =>
  Object.keys(properties).length <= MP_LIMITS.userPropertiesPerRequest;
const tooMany = `at most ${MP_LIMITS.userPropertiesPerRequest} user properties (GA4's limit per request)`;

export const UserPropertiesSchema = byName(UserPropertyValueSchema).refine(atMost25, tooMany);
export type UserProperties = z.output<typeof UserPropertiesSchema>;

export const UserPropertyMappingSchema = byName(
  z.enum(USER_PROPERTY_FIELDS, {
    error: `the transaction field to take the value from: ${USER_PROPERTY_FIELDS.join(' or ')}`,
  }),
).refine(atMost25, tooMany);
export type UserPropertyMapping = z.output<typeof UserPropertyMappingSchema>;

type RequestUserProperties = NonNullable<MpRequest['user_properties']>;

export function userPropertiesOf(
  transaction: Pick<Transaction, UserPropertyField>,
  mapping: UserPropertyMapping | undefined,
  record: UserProperties | undefined,
): RequestUserProperties | undefined {
  const out: RequestUserProperties = {};
  let count = 0;
  for (const [name, field] of Object.entries(mapping ?? {})) {
    out[name] = { value: transaction[field] };
    count++;
  }
  for (const [name, value] of Object.entries(record ?? {})) {
    if (count >= MP_LIMITS.userPropertiesPerRequest) break;
    if (name in out) continue;
    out[name] = { value };
    count++;
  }
  return count === 0 ? undefined : out;
}

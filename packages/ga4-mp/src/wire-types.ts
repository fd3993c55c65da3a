/**
 * The Measurement Protocol wire format, with GA4's own field names.
 * Request-level keys (client_id, user_id, consent, user_data, user_properties) apply to every
 * event in the request, which is why a request carries one client only.
 */
export type ParamValue = string | number;

export interface MpItem {
  item_id?: string;
  item_name?: string;
  price?: number;
  quantity?: number;
  discount?: number;
  index?: number;
  location_id?: string;
  affiliation?: string;
  item_brand?: string;
  item_category?: string;
  item_variant?: string;
  coupon?: string;
  [custom: string]: ParamValue | undefined;
}

export interface MpEventParams {
  items?: MpItem[];
  [name: string]: ParamValue | MpItem[] | undefined;
}

export interface MpEvent {
  name: string;
  params: MpEventParams;
  /** Event-level timestamp in microseconds since the epoch. */
  timestamp_micros?: number;
}

export type ConsentValue = 'GRANTED' | 'DENIED';

export interface MpConsent {
  ad_user_data?: ConsentValue;
  ad_personalization?: ConsentValue;
}

/**
 * One postal address of `user_data.address[]`. Names and street are SHA-256 hex digests of the
 * normalised value; city, region, postal code and country are sent in plain text (normalised).
 */
export interface MpUserAddress {
  sha256_first_name?: string;
  sha256_last_name?: string;
  sha256_street?: string;
  city?: string;
  region?: string;
  postal_code?: string;
  /** ISO 3166-1 alpha-2 code. */
  country?: string;
}

export interface MpUserData {
  sha256_email_address?: string[];
  sha256_phone_number?: string[];
  address?: MpUserAddress[];
}

export interface MpRequest {
  client_id?: string;
  app_instance_id?: string;
  user_id?: string;
  timestamp_micros?: number;
  user_properties?: Record<string, { value: ParamValue; timestamp_micros?: number }>;
  consent?: MpConsent;
  user_data?: MpUserData;
  non_personalized_ads?: boolean;
  events: MpEvent[];
}

export const VALIDATION_CODES = [
  'VALUE_INVALID',
  'VALUE_REQUIRED',
  'NAME_INVALID',
  'NAME_RESERVED',
  'VALUE_OUT_OF_BOUNDS',
  'EXCEEDED_MAX_ENTITIES',
  'NAME_DUPLICATED',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

/** One message, in the exact shape `/debug/mp/collect` returns. */
export interface ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: ValidationCode;
}

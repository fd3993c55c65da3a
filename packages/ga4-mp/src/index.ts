export { batchEvents, envelopeKey, optimalRequestCount } from './batch-events.js';
export type {
  BatchedRequest,
  BatchInput,
  BatchOptions,
  BatchResult,
  RequestEnvelope,
} from './batch-events.js';
export {
  classifyError,
  classifyStatus,
  parseRetryAfter,
  REJECTED_REASONS,
  RETRYABLE_REASONS,
} from './classify-response.js';
export type {
  RejectedReason,
  RetryableReason,
  SendFailureReason,
  SendOutcome,
} from './classify-response.js';
export { minorToDecimal } from './decimal.js';
export { collectUrl, describeEndpoint, GA4_HOSTS } from './endpoint.js';
export type { Ga4Destination, Ga4Region, Ga4Stream } from './endpoint.js';
export {
  MP_LIMITS,
  RESERVED_EVENT_NAMES,
  RESERVED_PREFIXES,
  RESERVED_USER_PROPERTY_NAMES,
  STANDARD_ITEM_PARAMS,
} from './limits.js';
export {
  lineAmounts,
  MAPPING_FAILURE_CODES,
  mapTransaction,
  MAX_OWN_EVENT_PARAMS,
  OTHER_ITEMS_ID,
} from './map-transaction.js';
export { allocateLargestRemainder } from './allocate.js';
export { textLength, truncateText } from './text-limits.js';
export type { Truncated } from './text-limits.js';
export type {
  MapResult,
  MappableLine,
  MappableTransaction,
  MappingCounts,
  MappingFailureCode,
  MappingFlag,
  MappingOptions,
  PriceMode,
  SessionMode,
  TooOldPolicy,
} from './map-transaction.js';
export { createMpClient } from './mp-client.js';
export type { MpClient, MpClientOptions, ValidateOutcome } from './mp-client.js';
export {
  buildUserData,
  hashEmail,
  hashPhone,
  normalizeEmail,
  normalizePhone,
} from './user-data.js';
export { validateRequest, validateRequestText } from './validate-request.js';
export type { ValidateOptions } from './validate-request.js';
export { VALIDATION_CODES } from './wire-types.js';
export type {
  ConsentValue,
  MpConsent,
  MpEvent,
  MpEventParams,
  MpItem,
  MpRequest,
  MpUserAddress,
  MpUserData,
  ParamValue,
  ValidationCode,
  ValidationMessage,
} from './wire-types.js';

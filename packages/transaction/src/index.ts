export { CURRENCY_MINOR_UNITS, isCurrencyCode, minorUnitsOf } from './currencies.js';
export type { CurrencyCode } from './currencies.js';
export { gs1CheckDigit, isValidGtin } from './gtin.js';
export { transactionJsonSchema } from './json-schema.js';
export {
  lineTotalMatches,
  MAX_MINOR_UNITS,
  MinorUnits,
  QUANTITY_SCALE,
  quantityToThousandths,
} from './money.js';
export {
  completeTransaction,
  parseTransaction,
  reject,
  REJECTION_CODES,
} from './parse-transaction.js';
export type {
  CompletionContext,
  ContractIssue,
  ParseResult,
  RejectionCode,
  TransactionRejection,
} from './parse-transaction.js';
export { deriveTransactionId, TRANSACTION_ID_MAX_LENGTH } from './transaction-id.js';
export type { TransactionIdParts } from './transaction-id.js';
export {
  attributeNameProblem,
  ATTRIBUTE_RESERVED_EVENT_PARAMS,
  ATTRIBUTE_RESERVED_ITEM_PARAMS,
  EntityId,
  IDENTITY_KINDS,
  INVARIANT_CODES,
  MAX_ATTRIBUTES,
  RESERVED_PARAM_PREFIXES,
  SCHEMA_VERSION,
  TransactionLineSchema,
  TransactionSchema,
} from './transaction.js';
export { isoInZone, isTimeZone, localIso, zonedIso } from './zoned-time.js';
export type { LocalDateTime } from './zoned-time.js';
export type {
  IdentityKind,
  IdentityToken,
  InvariantCode,
  Payment,
  Transaction,
  TransactionInput,
  TransactionLine,
} from './transaction.js';

/**
 * Public surface of scan–receipt matching: the pure `matchScansToReceipts`, its steps, and the
 * streaming `ScanReceiptMatcher`. Explicit named exports only.
 */
export { matchScansToReceipts } from './match-scans-to-receipts.js';
export type { MatchScansInput, MatchScansOptions } from './match-scans-to-receipts.js';
export { IDENTITY_ROLES, scanIdentity } from './scan-identity.js';
export type { IdentityRole, ScanIdentity } from './scan-identity.js';
export {
  decideReceipt,
  expireScans,
  finalizePending,
  initialTerminalMatchState,
  intakeScan,
} from './scan-match-step.js';
export type {
  ExpiryResult,
  PendingScan,
  ReceiptDecision,
  ReceiptStep,
  ScanIntake,
  TerminalMatchState,
} from './scan-match-step.js';
export {
  DEFAULT_SCAN_MATCH_WINDOW,
  parseMatchTime,
  resolveScanMatchWindow,
  UNMATCHED_REASONS,
} from './scan-match-types.js';
export type {
  MatchableReceipt,
  MatchableScan,
  ReceiptIdentities,
  ScanMatchResult,
  ScanMatchWindow,
  ScanMatchWindowOptions,
  UnmatchedReason,
  UnmatchedScan,
} from './scan-match-types.js';
export { ScanReceiptMatcher } from './scan-receipt-matcher.js';
export type { ScanReceiptMatcherOptions } from './scan-receipt-matcher.js';

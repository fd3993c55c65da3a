/**
 * Public surface of the scan module: HID report decoding (keyboard wedge and HID POS, and
 * `ScanReportDecoder` over both with the raw reports of each scan), barcode classification
 * (`classifyBarcode`, and `classifyScan` for a decoded scan), keyboard layouts by name and signed
 * app QR codes. All functions are pure; the decoder classes are thin stateful wrappers. Explicit
 * named exports only.
 */
export { describeAim, GS1_AIM_IDS, isAimIdentifier, splitAimPrefix } from './aim-symbology.js';
export type { AimSymbology } from './aim-symbology.js';
export {
  APP_QR_PREFIX,
  APP_QR_VERSION,
  DEFAULT_APP_QR_MAX_AGE_SECONDS,
  DEFAULT_APP_QR_NOT_BEFORE_TOLERANCE_SECONDS,
  looksLikeAppQr,
  signAppQr,
  verifyAppQr,
} from './app-qr.js';
export type {
  AppQrFailure,
  AppQrSecret,
  AppQrVerification,
  SignAppQrInput,
  VerifyAppQrOptions,
} from './app-qr.js';
export { classifyBarcode, IDENTITY_KINDS, isIdentityClassification } from './classify-barcode.js';
export type {
  BarcodeClassification,
  BarcodeKind,
  ClassifiedContent,
  ClassifyBarcodeOptions,
  IdentityClassification,
  IdentityKind,
} from './classify-barcode.js';
export { classifyScan } from './classify-scan.js';
export type { ClassifyScanOptions, ScannedBarcode } from './classify-scan.js';
export { parseGaClientId } from './ga-client-id.js';
export {
  findApplicationIdentifier,
  getApplicationIdentifier,
} from './gs1-application-identifiers.js';
export type {
  Gs1ApplicationIdentifier,
  Gs1CharacterSet,
  Gs1Component,
} from './gs1-application-identifiers.js';
export { GS, parseBracketedGs1, parseGs1ElementString } from './gs1-element-string.js';
export type { Gs1Element, Gs1ParseResult } from './gs1-element-string.js';
export { gs1CheckDigit, gtinFormat, hasValidGs1CheckDigit, toGtin14 } from './gtin.js';
export type { GtinFormat } from './gtin.js';
export {
  decodeHidPosReport,
  HidPosScanDecoder,
  initialHidPosDecoderState,
} from './hid-pos-decoder.js';
export type {
  HidPosDecoderConfig,
  HidPosDecoderOptions,
  HidPosDecoderState,
  HidPosEncoding,
  HidPosScan,
  HidPosStepResult,
} from './hid-pos-decoder.js';
export {
  decodeKeyboardReport,
  flushKeyboardIdle,
  initialKeyboardDecoderState,
  KeyboardScanDecoder,
} from './keyboard-report-decoder.js';
export type {
  KeyboardDecoderConfig,
  KeyboardDecoderOptions,
  KeyboardDecoderState,
  KeyboardScan,
  KeyboardStepResult,
  PendingKeyboardScan,
  ScanTerminator,
  TerminatorKey,
} from './keyboard-report-decoder.js';
export { DE_LAYOUT } from './layouts/de.js';
export type { KeyboardLayout, LayoutEntry } from './layouts/keyboard-layout.js';
export {
  isKeyboardLayoutName,
  KEYBOARD_LAYOUT_NAMES,
  keyboardLayoutByName,
} from './layouts/layout-by-name.js';
export type { KeyboardLayoutName } from './layouts/layout-by-name.js';
export { US_LAYOUT } from './layouts/us.js';
export { matchLoyaltyCard } from './loyalty-card.js';
export type { LoyaltyMatch, LoyaltyPattern } from './loyalty-card.js';
export { parseHexReports } from './parse-hex-reports.js';
export { ENDED_DURING_SCAN_WARNING, ScanReportDecoder } from './scan-report-decoder.js';
export type { DecodedScan, ScanMode, ScanReportDecoderOptions } from './scan-report-decoder.js';
export { expandUpcE } from './upc-e.js';
export type { UpcEExpansion } from './upc-e.js';

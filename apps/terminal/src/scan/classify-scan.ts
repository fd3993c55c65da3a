/**
 * A decoded scan, classified and time-stamped: the shape a scan source emits and the scan–receipt
 * matcher consumes.
 *
 * Input: a `DecodedScan` whose `endedAt` is epoch milliseconds, and options: `loyaltyPatterns`,
 * and `appQr` (keys and validity window; the verification time is the scan's own `endedAt`, so a
 * code is judged by when it was scanned, not when it is processed).
 * Output: `ScannedBarcode` `{ data, terminator?, symbology?, classification, at, raw,
 * rawTruncated?, warnings? }`: `at` is the ISO 8601 UTC time the scan completed; `symbology` is the
 * AIM id from the data prefix or from the HID POS report (classification's choice); `warnings`
 * only when there are some.
 * Errors: `TypeError` when `endedAt` is not a valid time, or for invalid classification options
 * (see `classifyBarcode`). Lifecycle: pure.
 */
import { classifyBarcode } from './classify-barcode.js';
import type { BarcodeClassification } from './classify-barcode.js';
import type { VerifyAppQrOptions } from './app-qr.js';
import type { ScanTerminator } from './keyboard-report-decoder.js';
import type { LoyaltyPattern } from './loyalty-card.js';
import type { DecodedScan } from './scan-report-decoder.js';

export interface ScannedBarcode {
  /** The scan text without the terminator (an AIM prefix, if the scanner sends one, stays). */
  readonly data: string;
  readonly terminator?: ScanTerminator;
  /** AIM symbology identifier, when known. */
  readonly symbology?: string;
  readonly classification: BarcodeClassification;
  /** When the scan completed, ISO 8601 UTC. */
  readonly at: string;
  /** Hex of each input report of the scan. */
  readonly raw: readonly string[];
  readonly rawTruncated?: true;
  readonly warnings?: readonly string[];
}

export interface ClassifyScanOptions {
  readonly loyaltyPatterns?: readonly LoyaltyPattern[];
  /** Keys and validity window for signed app QR codes; `now` is the scan time. */
  readonly appQr?: Omit<VerifyAppQrOptions, 'now'>;
}

export function classifyScan(scan: DecodedScan, options: ClassifyScanOptions = {}): ScannedBarcode {
  const time = new Date(scan.endedAt);
  if (Number.isNaN(time.getTime())) {
    throw new TypeError('scan "endedAt" must be epoch milliseconds');
  }
  const classification = classifyBarcode(scan.data, {
    ...(scan.symbology === undefined ? {} : { symbology: scan.symbology }),
    ...(options.loyaltyPatterns === undefined ? {} : { loyaltyPatterns: options.loyaltyPatterns }),
    ...(options.appQr === undefined ? {} : { appQr: { ...options.appQr, now: scan.endedAt } }),
  });
  const symbology = classification.symbology ?? scan.symbology;
  return {
    data: scan.data,
    ...(scan.terminator === undefined ? {} : { terminator: scan.terminator }),
    ...(symbology === undefined ? {} : { symbology }),
    classification,
    at: time.toISOString(),
    raw: scan.raw,
    ...(scan.rawTruncated === true ? { rawTruncated: true as const } : {}),
    ...(scan.warnings.length === 0 ? {} : { warnings: scan.warnings }),
  };
}

/**
 * Classifies the text of one scan: product code, GS1 data, customer identity, URL or unknown.
 *
 * Inputs: scan `data` (from either decoder) and options: `symbology` (AIM id reported beside the
 * data, e.g. by HID POS), `loyaltyPatterns`, and `appQr` (keys, `now` in epoch ms and the
 * validity window, see `app-qr.ts`). A leading AIM id `]cm` in the data is removed and used as
 * the symbology (it wins over `options.symbology`).
 * Output: a `BarcodeClassification` (discriminated by `kind`), carrying `symbology` when known.
 * Order of checks, first match wins:
 *  1. `POSGA4:` prefix → 'app-qr' (verified) or 'app-qr-invalid' with the reason (UNKNOWN_KEY
 *     when no keys are configured).
 *  2. configured loyalty patterns → 'loyalty-card' (explicit store configuration beats guessing;
 *     loyalty cards are often EAN-13 in the in-store 2xx range).
 *  3. GA client id (`GA1.n.R.T` or `R.T`) → 'ga-client-id'.
 *  4. GS1 element strings → 'gs1': always for GS1 AIM ids (]C1 ]e0 ]d2 ]Q3 ]J1); without AIM id
 *     for the `(01)…` form, for data containing GS, and for all-digit data starting with AI 00/01/02
 *     that parses cleanly (longer than a GTIN).
 *  5. GTIN family → 'gtin' with format and check-digit validity: 8/12/13/14 digits. UPC-E
 *     (`format: 'UPC-E'`, `gtin` = expanded UPC-A) for `]E0` with 6-8 digits, and without AIM id
 *     for 8 digits whose EAN-8 check digit is wrong but whose UPC-E check digit is right.
 *     `]E1`-`]E3` with 15 or 18 digits: EAN-13 plus a 2/5-digit `addOn`.
 *  6. `http(s)://` URL → 'url'. 7. Otherwise 'unknown' (with a `note` when a GS1/EAN symbology
 *     carried data that did not parse).
 * Errors: none for data; an invalid loyalty pattern or app QR option throws `TypeError`.
 * Lifecycle: pure.
 */
import { describeAim, isAimIdentifier, splitAimPrefix } from './aim-symbology.js';
import type { AimSymbology } from './aim-symbology.js';
import { looksLikeAppQr, verifyAppQr } from './app-qr.js';
import type { AppQrFailure, VerifyAppQrOptions } from './app-qr.js';
import { parseGaClientId } from './ga-client-id.js';
import { GS, parseBracketedGs1, parseGs1ElementString } from './gs1-element-string.js';
import type { Gs1Element } from './gs1-element-string.js';
import { gtinFormat, hasValidGs1CheckDigit, toGtin14 } from './gtin.js';
import type { GtinFormat } from './gtin.js';
import { matchLoyaltyCard } from './loyalty-card.js';
import type { LoyaltyPattern } from './loyalty-card.js';
import { expandUpcE } from './upc-e.js';

export interface ClassifyBarcodeOptions {
  /** AIM symbology id reported beside the data (HID POS). */
  readonly symbology?: string;
  readonly loyaltyPatterns?: readonly LoyaltyPattern[];
  /** Keys and validity window for signed app QR codes. Without it they are 'app-qr-invalid'. */
  readonly appQr?: VerifyAppQrOptions;
}

export type ClassifiedContent =
  | {
      readonly kind: 'gtin';
      /** The GTIN as scanned (for UPC-E: the expanded 12-digit UPC-A). */
      readonly gtin: string;
      readonly gtin14: string;
      readonly format: GtinFormat | 'UPC-E';
      /** Check digit is right. */
      readonly valid: boolean;
      readonly upcE?: string;
      readonly addOn?: string;
    }
  | {
      readonly kind: 'gs1';
      readonly elements: readonly Gs1Element[];
      /** Value of AI (01), if present. */
      readonly gtin?: string;
      /** No content problems (check digits, character sets). */
      readonly valid: boolean;
      readonly problems: readonly string[];
      readonly form: 'raw' | 'bracketed';
    }
  | { readonly kind: 'ga-client-id'; readonly clientId: string }
  | {
      readonly kind: 'app-qr';
      readonly clientId: string;
      readonly userId?: string;
      /** Unix seconds. */
      readonly issuedAt: number;
      readonly kid: string;
      readonly verified: true;
    }
  | { readonly kind: 'app-qr-invalid'; readonly reason: AppQrFailure }
  | { readonly kind: 'loyalty-card'; readonly value: string; readonly program: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'unknown'; readonly data: string; readonly note?: string };

export type BarcodeClassification = ClassifiedContent & { readonly symbology?: string };
export type BarcodeKind = BarcodeClassification['kind'];

/** Kinds that identify a customer (join the purchase to a GA client id or a loyalty account). */
export const IDENTITY_KINDS = ['app-qr', 'ga-client-id', 'loyalty-card'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
export type IdentityClassification = Extract<BarcodeClassification, { kind: IdentityKind }>;

export function isIdentityClassification(
  classification: BarcodeClassification,
): classification is IdentityClassification {
  return (IDENTITY_KINDS as readonly string[]).includes(classification.kind);
}

function classifyAppQr(data: string, options: ClassifyBarcodeOptions): ClassifiedContent {
  if (options.appQr === undefined) return { kind: 'app-qr-invalid', reason: 'UNKNOWN_KEY' };
  const result = verifyAppQr(data, options.appQr);
  if (!result.ok) return { kind: 'app-qr-invalid', reason: result.reason };
  const { clientId, issuedAt, kid } = result;
  return result.userId === undefined
    ? { kind: 'app-qr', clientId, issuedAt, kid, verified: true }
    : { kind: 'app-qr', clientId, userId: result.userId, issuedAt, kid, verified: true };
}

function gs1Result(
  result: ReturnType<typeof parseGs1ElementString>,
  form: 'raw' | 'bracketed',
): ClassifiedContent | undefined {
  if (!result.ok) return undefined;
  const gtin = result.elements.find((e) => e.ai === '01')?.value;
  const base = {
    kind: 'gs1' as const,
    elements: result.elements,
    valid: result.problems.length === 0,
    problems: result.problems,
    form,
  };
  return gtin === undefined ? base : { ...base, gtin };
}

function classifyGs1(data: string, aim: AimSymbology | undefined): ClassifiedContent | undefined {
  if (aim?.gs1 === true) {
    const parsed = parseGs1ElementString(data);
    if (!parsed.ok) {
      return {
        kind: 'unknown',
        data,
        note: `${aim.id} data is not a GS1 element string: ${parsed.error}`,
      };
    }
    return gs1Result(parsed, 'raw');
  }
  if (aim !== undefined) return undefined;
  if (data.startsWith('(')) return gs1Result(parseBracketedGs1(data), 'bracketed');
  if (data.includes(GS)) return gs1Result(parseGs1ElementString(data), 'raw');
  if (/^0[0-2]\d{14}/.test(data)) {
    const parsed = gs1Result(parseGs1ElementString(data), 'raw');
    return parsed?.kind === 'gs1' && parsed.valid ? parsed : undefined;
  }
  return undefined;
}

type GtinContent = Extract<ClassifiedContent, { kind: 'gtin' }>;

function gtinResult(gtin: string, format: GtinFormat): GtinContent {
  return { kind: 'gtin', gtin, gtin14: toGtin14(gtin), format, valid: hasValidGs1CheckDigit(gtin) };
}

function upcEResult(upcE: string): GtinContent | undefined {
  const expansion = expandUpcE(upcE);
  if (expansion === undefined) return undefined;
  return {
    kind: 'gtin',
    gtin: expansion.upcA,
    gtin14: toGtin14(expansion.upcA),
    format: 'UPC-E',
    valid: expansion.checkDigitValid,
    upcE,
  };
}

function classifyGtin(data: string, aim: AimSymbology | undefined): ClassifiedContent | undefined {
  if (!/^\d+$/.test(data)) return undefined;
  if (aim?.eanUpc === true) {
    const modifier = aim.id.charAt(2);
    if (aim.id === ']E0' && data.length >= 6 && data.length <= 8) return upcEResult(data);
    if (['1', '2', '3'].includes(modifier) && (data.length === 15 || data.length === 18)) {
      return { ...gtinResult(data.slice(0, 13), 'GTIN-13'), addOn: data.slice(13) };
    }
  }
  const format = gtinFormat(data);
  if (format === undefined) return undefined;
  if (aim === undefined && format === 'GTIN-8' && !hasValidGs1CheckDigit(data)) {
    const upcE = upcEResult(data);
    if (upcE?.valid === true) return upcE;
  }
  return gtinResult(data, format);
}

function classifyUrl(data: string): ClassifiedContent | undefined {
  if (!/^https?:\/\//i.test(data) || !URL.canParse(data)) return undefined;
  return { kind: 'url', url: data };
}

function classifyContent(
  data: string,
  aim: AimSymbology | undefined,
  options: ClassifyBarcodeOptions,
): ClassifiedContent {
  if (looksLikeAppQr(data)) return classifyAppQr(data, options);
  const loyalty = matchLoyaltyCard(data, options.loyaltyPatterns ?? []);
  if (loyalty !== undefined) return { kind: 'loyalty-card', ...loyalty };
  const clientId = parseGaClientId(data);
  if (clientId !== undefined) return { kind: 'ga-client-id', clientId };
  const classified = classifyGs1(data, aim) ?? classifyGtin(data, aim) ?? classifyUrl(data);
  if (classified !== undefined) return classified;
  if (aim?.eanUpc === true) {
    return { kind: 'unknown', data, note: `${aim.id} data is not an EAN/UPC number` };
  }
  return { kind: 'unknown', data };
}

export function classifyBarcode(
  data: string,
  options: ClassifyBarcodeOptions = {},
): BarcodeClassification {
  const split = splitAimPrefix(data);
  const given = options.symbology;
  const symbology =
    split.aim ?? (given !== undefined && isAimIdentifier(given) ? given : undefined);
  const aim = symbology === undefined ? undefined : describeAim(symbology);
  const content = classifyContent(split.rest, aim, options);
  return symbology === undefined ? content : { ...content, symbology };
}

/**
 * AIM symbology identifiers (`]` + code character + modifier, ISO/IEC 15424), as scanners
 * prepend them to scan data or report them beside it (HID POS).
 *
 * Inputs: scan data or an identifier. Outputs: `splitAimPrefix` separates a leading `]cm` from
 * the data; `describeAim` names the symbology family and says whether the data uses GS1
 * Application Identifier syntax (`]C1`, `]e0`, `]d2`, `]Q3`, `]J1`) or is a GTIN carrier (`]E*`).
 * Errors: none; unknown code characters are named 'other'. Lifecycle: pure.
 * Sources: Datalogic KA-01477, gs1/gs1-barcode-engine `gs1encoders.h` scan-data table.
 */

export interface AimSymbology {
  /** The identifier, e.g. `]E0`. */
  readonly id: string;
  readonly name: string;
  /** The data is a GS1 element string (AIs; variable-length fields end with GS). */
  readonly gs1: boolean;
  /** EAN/UPC family (`]E0` EAN-13/UPC-A/UPC-E, `]E4` EAN-8, `]E1`-`]E3` with add-on). */
  readonly eanUpc: boolean;
}

const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

const NAMES: Readonly<Record<string, string>> = {
  A: 'Code 39',
  C: 'Code 128',
  d: 'Data Matrix',
  E: 'EAN/UPC',
  e: 'GS1 DataBar',
  F: 'Codabar',
  G: 'Code 93',
  I: 'Interleaved 2 of 5',
  J: 'DotCode',
  L: 'PDF417',
  M: 'MSI',
  Q: 'QR Code',
  S: 'Discrete 2 of 5',
  X: 'other',
  z: 'Aztec',
};

export const GS1_AIM_IDS: readonly string[] = [']C1', ']e0', ']d2', ']Q3', ']J1'];

export function isAimIdentifier(id: string): boolean {
  return id.length === 3 && AIM_PREFIX.test(id);
}

export function describeAim(id: string): AimSymbology | undefined {
  if (!isAimIdentifier(id)) return undefined;
  const code = id.charAt(1);
  return {
    id,
    name: NAMES[code] ?? 'other',
    gs1: GS1_AIM_IDS.includes(id),
    eanUpc: code === 'E',
  };
}

/** `]E04006381333931` → `{ aim: ']E0', rest: '4006381333931' }`. */
export function splitAimPrefix(data: string): { readonly aim?: string; readonly rest: string } {
  return AIM_PREFIX.test(data) ? { aim: data.slice(0, 3), rest: data.slice(3) } : { rest: data };
}

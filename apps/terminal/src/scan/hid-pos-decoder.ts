/**
 * HID POS barcode scanners (usage page 0x8C, usage 0x02): "scanned data" input reports → scans.
 *
 * Inputs: input reports as delivered by hidraw/node-hid (report id in byte 0 for numbered
 * reports). The default layout is the common vendor layout (Honeywell/Hand Held Products,
 * Access-IS; 64-byte reports):
 *
 *   byte 0        report id, 0x02                              option `reportId` (null: none)
 *   byte 1        count of valid decoded-data bytes in this report  option `lengthOffset`
 *   bytes 2..4    AIM symbology identifier, 3 ASCII bytes `]Q1`;    option `symbologyOffset`
 *                 all zero = no symbology                            (null: layout has none)
 *   bytes 5..     decoded data, `length` bytes                        option `dataOffset`
 *   last byte     flags; bit 0 = "decode data continued": more      option `flagsOffset`
 *                 reports of the same scan follow                   (negative = from the end)
 *
 * Reports are concatenated while the continuation bit is set; the report without it completes
 * the scan. The symbology comes from the scan's first report. Data bytes are decoded after
 * concatenation (so UTF-8 sequences may span reports) as `latin1` (default, lossless; the AIM
 * default interpretation is ISO/IEC 8859-1) or `utf8`. Control bytes such as GS (0x1D, the GS1
 * separator) are kept. Vendor bytes between the data and the flags (Honeywell's own symbology
 * id at byte 61) are not read.
 * Outputs: `HidPosScan` `{ data, symbology? }`, plus warnings (wrong report id, short report,
 * length larger than the report, scans above `maxScanBytes`, malformed AIM bytes).
 * Errors: never throws on report content; invalid options throw `TypeError`.
 * Lifecycle: `decodeHidPosReport` is pure; `HidPosScanDecoder` is a thin stateful wrapper.
 * A scan whose final report never arrives stays pending until the next report (which then
 * continues it) or `reset()`.
 */
import { Buffer } from 'node:buffer';

export type HidPosEncoding = 'latin1' | 'utf8';

export interface HidPosScan {
  readonly data: string;
  /** AIM symbology identifier, e.g. `]E0`, `]Q1`, `]C1`. */
  readonly symbology?: string;
}

export interface HidPosDecoderOptions {
  /** Expected value of byte 0; other report ids are ignored. `null`: reports have no id byte. */
  readonly reportId?: number | null;
  readonly lengthOffset?: number;
  /** Offset of the 3 AIM bytes, or `null` when the layout carries none. */
  readonly symbologyOffset?: number | null;
  readonly dataOffset?: number;
  /** Offset of the flags byte; negative counts from the end (-1 = last byte). */
  readonly flagsOffset?: number;
  readonly continuationMask?: number;
  readonly encoding?: HidPosEncoding;
  /** Bytes kept per scan across continued reports; the rest is dropped. Default 65536. */
  readonly maxScanBytes?: number;
}

export interface HidPosDecoderConfig {
  readonly reportId: number | null;
  readonly lengthOffset: number;
  readonly symbologyOffset: number | null;
  readonly dataOffset: number;
  readonly flagsOffset: number;
  readonly continuationMask: number;
  readonly encoding: HidPosEncoding;
  readonly maxScanBytes: number;
}

export interface HidPosDecoderState {
  readonly config: HidPosDecoderConfig;
  /** Data bytes of a scan whose last report said "more follows". */
  readonly parts: readonly Uint8Array[];
  readonly partsLength: number;
  readonly symbology: string | undefined;
  readonly truncated: boolean;
}

export interface HidPosStepResult {
  readonly state: HidPosDecoderState;
  readonly scans: readonly HidPosScan[];
  readonly warnings: readonly string[];
}

const DEFAULTS: HidPosDecoderConfig = {
  reportId: 0x02,
  lengthOffset: 1,
  symbologyOffset: 2,
  dataOffset: 5,
  flagsOffset: -1,
  continuationMask: 0x01,
  encoding: 'latin1',
  maxScanBytes: 65536,
};

/** Checked at run time for callers without type checking. */
const ENCODINGS: readonly string[] = ['latin1', 'utf8'] satisfies HidPosEncoding[];

function isByte(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 255;
}

function checkOffset(name: string, value: number, allowNegative = false): void {
  if (!Number.isInteger(value) || (!allowNegative && value < 0)) {
    throw new TypeError(
      `"${name}" must be ${allowNegative ? 'an integer' : 'a non-negative integer'}`,
    );
  }
}

export function initialHidPosDecoderState(options: HidPosDecoderOptions = {}): HidPosDecoderState {
  const config: HidPosDecoderConfig = {
    reportId: options.reportId === undefined ? DEFAULTS.reportId : options.reportId,
    lengthOffset: options.lengthOffset ?? DEFAULTS.lengthOffset,
    symbologyOffset:
      options.symbologyOffset === undefined ? DEFAULTS.symbologyOffset : options.symbologyOffset,
    dataOffset: options.dataOffset ?? DEFAULTS.dataOffset,
    flagsOffset: options.flagsOffset ?? DEFAULTS.flagsOffset,
    continuationMask: options.continuationMask ?? DEFAULTS.continuationMask,
    encoding: options.encoding ?? DEFAULTS.encoding,
    maxScanBytes: options.maxScanBytes ?? DEFAULTS.maxScanBytes,
  };
  if (config.reportId !== null && !isByte(config.reportId)) {
    throw new TypeError('"reportId" must be a byte (0-255) or null');
  }
  checkOffset('lengthOffset', config.lengthOffset);
  if (config.symbologyOffset !== null) checkOffset('symbologyOffset', config.symbologyOffset);
  checkOffset('dataOffset', config.dataOffset);
  checkOffset('flagsOffset', config.flagsOffset, true);
  if (!isByte(config.continuationMask) || config.continuationMask === 0) {
    throw new TypeError('"continuationMask" must be a non-zero byte');
  }
  if (!ENCODINGS.includes(config.encoding)) {
    throw new TypeError(`"encoding" must be 'latin1' or 'utf8'`);
  }
  if (!Number.isInteger(config.maxScanBytes) || config.maxScanBytes <= 0) {
    throw new TypeError('"maxScanBytes" must be a positive integer');
  }
  return { config, parts: [], partsLength: 0, symbology: undefined, truncated: false };
}

function readSymbology(report: Uint8Array, offset: number, warnings: string[]): string | undefined {
  const bytes = report.subarray(offset, offset + 3);
  if (bytes.every((b) => b === 0)) return undefined;
  const text = Buffer.from(bytes).toString('latin1');
  if (/^\][\x21-\x7e]{2}$/.test(text)) return text;
  warnings.push(
    `symbology bytes ${Buffer.from(bytes).toString('hex')} are not an AIM identifier: ignored`,
  );
  return undefined;
}

/**
 * Feeds one input report. Pure: returns the next state, the scan it completed (if any) and
 * warnings.
 */
export function decodeHidPosReport(
  state: HidPosDecoderState,
  report: Uint8Array,
): HidPosStepResult {
  const { config } = state;
  const warnings: string[] = [];
  const ignore = (message: string): HidPosStepResult => ({
    state,
    scans: [],
    warnings: [message],
  });

  if (config.reportId !== null && report[0] !== config.reportId) {
    return ignore(`report with id ${String(report[0])} ignored (expected ${config.reportId})`);
  }
  const flagsIndex =
    config.flagsOffset < 0 ? report.length + config.flagsOffset : config.flagsOffset;
  const headerEnd = Math.max(
    config.lengthOffset + 1,
    config.symbologyOffset === null ? 0 : config.symbologyOffset + 3,
    config.dataOffset,
  );
  if (report.length < headerEnd || flagsIndex < 0 || flagsIndex >= report.length) {
    return ignore(`report of ${report.length} bytes is too short for the configured layout`);
  }
  const flags = report[flagsIndex] ?? 0;
  const declared = report[config.lengthOffset] ?? 0;
  // Data never runs into a flags byte that follows it.
  const dataEnd = flagsIndex >= config.dataOffset ? flagsIndex : report.length;
  const available = dataEnd - config.dataOffset;
  let length = declared;
  if (declared > available) {
    warnings.push(`data length ${declared} exceeds the ${available} data bytes of the report`);
    length = available;
  }

  const first = state.parts.length === 0;
  const symbology =
    first && config.symbologyOffset !== null
      ? readSymbology(report, config.symbologyOffset, warnings)
      : state.symbology;

  let data = report.subarray(config.dataOffset, config.dataOffset + length);
  let truncated = state.truncated;
  const room = config.maxScanBytes - state.partsLength;
  if (data.length > room) {
    if (!truncated) warnings.push(`scan longer than ${config.maxScanBytes} bytes: rest dropped`);
    truncated = true;
    data = data.subarray(0, Math.max(room, 0));
  }
  // Empty parts are kept only to mark a pending scan, so a stuck device cannot grow the list.
  const parts =
    data.length === 0 && state.parts.length > 0
      ? state.parts
      : [...state.parts, Uint8Array.from(data)];
  const partsLength = state.partsLength + data.length;

  if ((flags & config.continuationMask) !== 0) {
    return {
      state: { config, parts, partsLength, symbology, truncated },
      scans: [],
      warnings,
    };
  }

  const next = initialStateFrom(config);
  if (partsLength === 0) {
    warnings.push('report without data ignored');
    return { state: next, scans: [], warnings };
  }
  const bytes = Buffer.concat(parts, partsLength);
  const scan: HidPosScan =
    symbology === undefined
      ? { data: bytes.toString(config.encoding) }
      : { data: bytes.toString(config.encoding), symbology };
  return { state: next, scans: [scan], warnings };
}

function initialStateFrom(config: HidPosDecoderConfig): HidPosDecoderState {
  return { config, parts: [], partsLength: 0, symbology: undefined, truncated: false };
}

/** Stateful wrapper around `decodeHidPosReport` for one device. */
export class HidPosScanDecoder {
  #state: HidPosDecoderState;
  #warnings: string[] = [];

  constructor(options: HidPosDecoderOptions = {}) {
    this.#state = initialHidPosDecoderState(options);
  }

  /** Feeds one report; returns the scan it completed, if any. */
  push(report: Uint8Array): readonly HidPosScan[] {
    const result = decodeHidPosReport(this.#state, report);
    this.#state = result.state;
    this.#warnings.push(...result.warnings);
    if (this.#warnings.length > 100) this.#warnings = this.#warnings.slice(-100);
    return result.scans;
  }

  /** True while continued reports of an unfinished scan are buffered. */
  get hasPendingScan(): boolean {
    return this.#state.parts.length > 0;
  }

  /** Drops a partial scan (e.g. after the device was reopened). */
  reset(): void {
    this.#state = initialStateFrom(this.#state.config);
  }

  /** Returns and clears the warnings since the last call (the newest 100 are kept). */
  takeWarnings(): readonly string[] {
    const warnings = this.#warnings;
    this.#warnings = [];
    return warnings;
  }
}

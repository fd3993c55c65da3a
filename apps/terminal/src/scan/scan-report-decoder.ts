/**
 * One decoder for one scanner, whatever its USB mode: keyboard wedge (boot keyboard reports →
 * `KeyboardScanDecoder` rules) or HID POS (usage page 0x8C → `HidPosScanDecoder` rules), plus the
 * raw reports that made up each scan.
 *
 * Inputs: input reports as the device delivers them, each with `now` (ms; the HID source passes
 * epoch ms so that `endedAt` is a wall-clock time), `flushIdle(now)` from the owner's timer, and
 * `end()` when the device goes away or the input ends.
 * Outputs: `DecodedScan`s `{ data, terminator?, symbology?, endedAt, raw, rawTruncated?,
 * warnings }`. `terminator` is set in keyboard mode only, `symbology` in HID POS mode when the
 * report carried one (keyboard-mode AIM prefixes stay in `data`; classification splits them off).
 * `raw` holds the hex of every report from the one that started the scan to the one that ended it
 * (key releases and stray keys between scans belong to no scan and are dropped); at most
 * `maxRawBytes` report bytes are kept per scan (default 16384), the rest sets `rawTruncated`.
 * Rules: as the two decoders; additionally `end()` completes a pending keyboard scan with
 * terminator 'timeout' and a warning (a scanner without a terminator suffix ends scans by silence,
 * so an unplug right after a scan must not lose it), and drops a partial HID POS scan (its final
 * report, the one without the continuation flag, never came) with a stray warning.
 * Errors: never throws on report content; invalid options throw `TypeError`.
 * Lifecycle: stateful, one per device connection; `end()` leaves it ready for a new stream.
 */
import { Buffer } from 'node:buffer';

import { decodeHidPosReport, initialHidPosDecoderState } from './hid-pos-decoder.js';
import type { HidPosDecoderOptions, HidPosDecoderState } from './hid-pos-decoder.js';
import {
  decodeKeyboardReport,
  flushKeyboardIdle,
  initialKeyboardDecoderState,
} from './keyboard-report-decoder.js';
import type {
  KeyboardDecoderOptions,
  KeyboardDecoderState,
  KeyboardScan,
  ScanTerminator,
} from './keyboard-report-decoder.js';

export type ScanMode = 'keyboard' | 'pos';

interface CommonDecoderOptions {
  /** Report bytes kept in `raw` per scan. Default 16384. */
  readonly maxRawBytes?: number;
}

export type ScanReportDecoderOptions =
  | (CommonDecoderOptions & {
      readonly mode: 'keyboard';
      readonly keyboard?: KeyboardDecoderOptions;
    })
  | (CommonDecoderOptions & { readonly mode: 'pos'; readonly pos?: HidPosDecoderOptions });

export interface DecodedScan {
  /** The scan text without the terminator. */
  readonly data: string;
  /** Keyboard mode: what ended the scan. */
  readonly terminator?: ScanTerminator;
  /** HID POS mode: the AIM symbology identifier reported beside the data. */
  readonly symbology?: string;
  /** The `now` of the report (or idle check) that completed the scan. */
  readonly endedAt: number;
  /** Hex of each report of the scan, in order. */
  readonly raw: readonly string[];
  readonly rawTruncated?: true;
  readonly warnings: readonly string[];
}

const DEFAULT_MAX_RAW_BYTES = 16384;
const MAX_KEPT_WARNINGS = 100;
export const ENDED_DURING_SCAN_WARNING = 'input ended during the scan: it may be incomplete';

type ModeState =
  | { readonly mode: 'keyboard'; state: KeyboardDecoderState }
  | { readonly mode: 'pos'; state: HidPosDecoderState };

function hexOf(report: Uint8Array): string {
  return Buffer.from(report.buffer, report.byteOffset, report.byteLength).toString('hex');
}

export class ScanReportDecoder {
  readonly mode: ScanMode;
  readonly #initial: ModeState;
  #current: ModeState;
  readonly #maxRawBytes: number;
  #raw: string[] = [];
  #rawBytes = 0;
  #rawTruncated = false;
  #warnings: string[] = [];

  constructor(options: ScanReportDecoderOptions) {
    const maxRawBytes = options.maxRawBytes ?? DEFAULT_MAX_RAW_BYTES;
    if (!Number.isInteger(maxRawBytes) || maxRawBytes < 0) {
      throw new TypeError('"maxRawBytes" must be a non-negative integer');
    }
    this.#maxRawBytes = maxRawBytes;
    this.mode = options.mode;
    this.#initial =
      options.mode === 'keyboard'
        ? { mode: 'keyboard', state: initialKeyboardDecoderState(options.keyboard) }
        : { mode: 'pos', state: initialHidPosDecoderState(options.pos) };
    this.#current = { ...this.#initial };
  }

  /** Keyboard mode: silence that ends a scan (call `flushIdle` after it); HID POS: undefined. */
  get idleTimeoutMs(): number | undefined {
    return this.#current.mode === 'keyboard'
      ? this.#current.state.config.interScanTimeoutMs
      : undefined;
  }

  /** True while an unfinished scan is buffered. */
  get hasPendingScan(): boolean {
    const current = this.#current;
    return current.mode === 'keyboard'
      ? current.state.pending !== undefined
      : current.state.parts.length > 0;
  }

  /** Feeds one report; returns the scans it completed (usually none or one). */
  push(report: Uint8Array, now: number): DecodedScan[] {
    const hex = hexOf(report);
    const current = this.#current;
    const completed: DecodedScan[] = [];
    let reportUsed = false;
    if (current.mode === 'keyboard') {
      const result = decodeKeyboardReport(current.state, report, now);
      current.state = result.state;
      this.#keep(result.warnings);
      for (const scan of result.scans) {
        // 'timeout' from push: the idle gap before this report ended the scan, so this report
        // is not part of it.
        if (scan.terminator !== 'timeout') {
          this.#addRaw(hex, report.byteLength);
          reportUsed = true;
        }
        completed.push(this.#fromKeyboard(scan));
      }
    } else {
      const result = decodeHidPosReport(current.state, report);
      current.state = result.state;
      this.#keep(result.warnings);
      for (const scan of result.scans) {
        this.#addRaw(hex, report.byteLength);
        reportUsed = true;
        const base = { data: scan.data, endedAt: now, warnings: [] };
        completed.push(
          this.#withRaw(
            scan.symbology === undefined ? base : { ...base, symbology: scan.symbology },
          ),
        );
      }
    }
    if (!reportUsed) this.#addRaw(hex, report.byteLength);
    // Reports that leave nothing pending (key releases, stray keys) belong to no scan.
    if (!this.hasPendingScan) this.#clearRaw();
    return completed;
  }

  /** Keyboard mode: completes a scan idle for `idleTimeoutMs`. HID POS: always []. */
  flushIdle(now: number): DecodedScan[] {
    const current = this.#current;
    if (current.mode !== 'keyboard') return [];
    const result = flushKeyboardIdle(current.state, now);
    current.state = result.state;
    this.#keep(result.warnings);
    return result.scans.map((scan) => this.#fromKeyboard(scan));
  }

  /**
   * The stream ended (unplug, close, end of a capture): completes a pending keyboard scan with a
   * warning, drops a partial HID POS scan, and starts over.
   */
  end(): DecodedScan[] {
    const current = this.#current;
    let completed: DecodedScan[] = [];
    if (current.mode === 'keyboard') {
      const pending = current.state.pending !== undefined;
      const result = flushKeyboardIdle(current.state, Number.POSITIVE_INFINITY);
      this.#keep(result.warnings);
      completed = result.scans.map((scan) =>
        this.#fromKeyboard(
          pending ? { ...scan, warnings: [...scan.warnings, ENDED_DURING_SCAN_WARNING] } : scan,
        ),
      );
    } else if (current.state.parts.length > 0) {
      this.#keep(['input ended inside a continued HID POS scan: partial scan dropped']);
    }
    this.reset();
    return completed;
  }

  /** Forgets any partial scan and key state (warnings are kept). */
  reset(): void {
    this.#current = { ...this.#initial };
    this.#clearRaw();
  }

  /** Returns and clears warnings that belong to no scan (the newest 100 are kept). */
  takeWarnings(): string[] {
    const warnings = this.#warnings;
    this.#warnings = [];
    return warnings;
  }

  #fromKeyboard(scan: KeyboardScan): DecodedScan {
    return this.#withRaw({
      data: scan.data,
      terminator: scan.terminator,
      endedAt: scan.endedAt,
      warnings: scan.warnings,
    });
  }

  #withRaw(scan: Omit<DecodedScan, 'raw' | 'rawTruncated'>): DecodedScan {
    const raw = this.#raw;
    const truncated = this.#rawTruncated;
    this.#clearRaw();
    return truncated ? { ...scan, raw, rawTruncated: true } : { ...scan, raw };
  }

  #addRaw(hex: string, bytes: number): void {
    if (this.#rawBytes + bytes > this.#maxRawBytes) {
      this.#rawTruncated = true;
      return;
    }
    this.#raw.push(hex);
    this.#rawBytes += bytes;
  }

  #clearRaw(): void {
    this.#raw = [];
    this.#rawBytes = 0;
    this.#rawTruncated = false;
  }

  #keep(warnings: readonly string[]): void {
    if (warnings.length === 0) return;
    this.#warnings.push(...warnings);
    if (this.#warnings.length > MAX_KEPT_WARNINGS) {
      this.#warnings = this.#warnings.slice(-MAX_KEPT_WARNINGS);
    }
  }
}

/**
 * Keyboard-wedge barcode scanners: boot-keyboard input reports → scans (text).
 *
 * Inputs: 8-byte boot reports (byte 0 modifier bitmap, byte 1 reserved, bytes 2-7 up to six usage
 * ids from page 0x07), optionally prefixed by a report id byte (`reportId` option), each with the
 * time it arrived (`now`, ms, monotonic or epoch; only differences are used).
 * Outputs: `KeyboardScan`s: `data` without the terminator, `terminator` ('enter' | 'tab' |
 * 'timeout'), `startedAt`/`endedAt` (the `now` of the first key and of the terminator, or of the
 * last key for 'timeout'), and `warnings` about keys that typed nothing. Warnings that belong to
 * no scan (a stray Down arrow after Enter, a malformed report) are returned beside the scans.
 * Rules:
 * - A character is typed only when its usage is newly down (absent from the previous report), so
 *   held keys, rollover and repeated identical reports never repeat characters. Modifier-only
 *   reports type nothing. Reports with ErrorRollOver (0x01) are ignored and do not change state.
 * - Left or right Shift select the shift level; Right Alt is AltGr on layouts that have one.
 *   Keypad keys ignore Shift (NumLock assumed on). Ctrl+key types the C0 control (Ctrl+] = GS)
 *   unless `controlCharacters` is false. Alt held with keypad digits types the Windows Alt code
 *   (Alt+0029 = GS) when Alt is released.
 * - Terminators default to Enter (0x28) and keypad Enter (0x58); `terminators` may add or remove
 *   'tab' / 'enter'. A non-terminating Enter types `\n`, a non-terminating Tab types `\t`.
 * - A pending scan completes with terminator 'timeout' when no key came for `interScanTimeoutMs`:
 *   checked at the next report and by `flushKeyboardIdle(state, now)`. Empty scans are dropped.
 * Errors: never throws on report content; unknown usages become warnings. Invalid options throw
 * `TypeError` from `initialKeyboardDecoderState` / the class constructor.
 * Lifecycle: `decodeKeyboardReport` and `flushKeyboardIdle` are pure; `KeyboardScanDecoder` is a
 * thin stateful wrapper. The caller owns timers (call `flushIdle` after `interScanTimeoutMs`).
 */
import { TextDecoder } from 'node:util';

import {
  isModifierUsage,
  isNonPrintingUsage,
  MODIFIER,
  USAGE,
  usageName,
} from './hid-keyboard-usages.js';
import type { KeyboardLayout, LayoutEntry } from './layouts/keyboard-layout.js';
import { US_LAYOUT } from './layouts/us.js';

export type TerminatorKey = 'enter' | 'tab';
export type ScanTerminator = TerminatorKey | 'timeout';

export interface KeyboardScan {
  readonly data: string;
  readonly terminator: ScanTerminator;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly warnings: readonly string[];
}

export interface KeyboardDecoderOptions {
  /** Layout the scanner is configured for ("keyboard country"). Default US. */
  readonly layout?: KeyboardLayout;
  /** Keys that end a scan. Default `['enter']` (Enter and keypad Enter). */
  readonly terminators?: readonly TerminatorKey[];
  /** Silence after which a pending scan completes with terminator 'timeout'. Default 100 ms. */
  readonly interScanTimeoutMs?: number;
  /** Set when reports carry a leading report id byte (9-byte reports); other ids are ignored. */
  readonly reportId?: number;
  /** Ctrl+key types a C0 control character (Ctrl+] = GS 0x1D). Default true. */
  readonly controlCharacters?: boolean;
  /** Characters kept per scan; the rest is dropped with a warning. Default 4096. */
  readonly maxScanLength?: number;
}

export interface KeyboardDecoderConfig {
  readonly layout: KeyboardLayout;
  readonly keys: ReadonlyMap<number, LayoutEntry>;
  readonly terminators: ReadonlySet<TerminatorKey>;
  readonly interScanTimeoutMs: number;
  readonly reportId: number | undefined;
  readonly controlCharacters: boolean;
  readonly maxScanLength: number;
}

export interface PendingKeyboardScan {
  readonly data: string;
  readonly startedAt: number;
  readonly lastAt: number;
  readonly warnings: readonly string[];
  /** The spacing form of a dead key waiting for the next character. */
  readonly deadKey: string | undefined;
  /** Keypad digits typed while Alt is held. */
  readonly altCode: string | undefined;
  readonly truncated: boolean;
}

export interface KeyboardDecoderState {
  readonly config: KeyboardDecoderConfig;
  /** Usages down in the last accepted report. */
  readonly pressed: readonly number[];
  readonly modifiers: number;
  readonly pending: PendingKeyboardScan | undefined;
}

export interface KeyboardStepResult {
  readonly state: KeyboardDecoderState;
  readonly scans: readonly KeyboardScan[];
  /** Warnings that belong to no scan. */
  readonly warnings: readonly string[];
}

const DEFAULT_TIMEOUT_MS = 100;
const DEFAULT_MAX_SCAN_LENGTH = 4096;
const SHIFT = MODIFIER.leftShift | MODIFIER.rightShift;
const CTRL = MODIFIER.leftCtrl | MODIFIER.rightCtrl;
const GUI = MODIFIER.leftGui | MODIFIER.rightGui;
const KEYPAD_FIRST = 0x54;
const KEYPAD_LAST = 0x63;
const KEYPAD_EQUALS = 0x67;
const windows1252 = new TextDecoder('windows-1252');

function isTerminatorKey(value: string): value is TerminatorKey {
  return value === 'enter' || value === 'tab';
}

export function initialKeyboardDecoderState(
  options: KeyboardDecoderOptions = {},
): KeyboardDecoderState {
  const layout = options.layout ?? US_LAYOUT;
  const given: readonly string[] = options.terminators ?? ['enter'];
  const terminators = new Set(given.filter(isTerminatorKey));
  if (terminators.size !== new Set(given).size) {
    throw new TypeError(`"terminators" may hold 'enter' and 'tab' only`);
  }
  const interScanTimeoutMs = options.interScanTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(interScanTimeoutMs) || interScanTimeoutMs <= 0) {
    throw new TypeError('"interScanTimeoutMs" must be a positive number');
  }
  const maxScanLength = options.maxScanLength ?? DEFAULT_MAX_SCAN_LENGTH;
  if (!Number.isInteger(maxScanLength) || maxScanLength <= 0) {
    throw new TypeError('"maxScanLength" must be a positive integer');
  }
  const reportId = options.reportId;
  if (reportId !== undefined && !(Number.isInteger(reportId) && reportId >= 0 && reportId <= 255)) {
    throw new TypeError('"reportId" must be a byte (0-255)');
  }
  const keys = new Map<number, LayoutEntry>();
  for (const entry of layout.entries) keys.set(entry[0], entry);
  return {
    config: {
      layout,
      keys,
      terminators,
      interScanTimeoutMs,
      reportId,
      controlCharacters: options.controlCharacters ?? true,
      maxScanLength,
    },
    pressed: [],
    modifiers: 0,
    pending: undefined,
  };
}

/** Mutable working copy used inside one pure step. */
interface Work {
  readonly config: KeyboardDecoderConfig;
  pending: MutablePending | undefined;
  readonly scans: KeyboardScan[];
  readonly stray: string[];
}

interface MutablePending {
  data: string;
  startedAt: number;
  lastAt: number;
  warnings: string[];
  deadKey: string | undefined;
  altCode: string | undefined;
  truncated: boolean;
}

function startWork(state: KeyboardDecoderState): Work {
  const p = state.pending;
  return {
    config: state.config,
    pending: p === undefined ? undefined : { ...p, warnings: [...p.warnings] },
    scans: [],
    stray: [],
  };
}

function finish(
  work: Work,
  next: Pick<KeyboardDecoderState, 'pressed' | 'modifiers'>,
): KeyboardStepResult {
  return {
    state: { config: work.config, ...next, pending: work.pending },
    scans: work.scans,
    warnings: work.stray,
  };
}

function ensurePending(work: Work, now: number): MutablePending {
  if (work.pending === undefined) {
    work.pending = {
      data: '',
      startedAt: now,
      lastAt: now,
      warnings: [],
      deadKey: undefined,
      altCode: undefined,
      truncated: false,
    };
  }
  work.pending.lastAt = now;
  return work.pending;
}

/** A warning about the report itself: goes to the pending scan if there is one. */
function warnReport(work: Work, message: string): void {
  if (work.pending === undefined) work.stray.push(message);
  else work.pending.warnings.push(message);
}

function append(work: Work, pending: MutablePending, text: string): void {
  if (pending.data.length + text.length > work.config.maxScanLength) {
    if (!pending.truncated) {
      pending.warnings.push(
        `scan longer than ${work.config.maxScanLength} characters: the rest was dropped`,
      );
      pending.truncated = true;
    }
    return;
  }
  pending.data += text;
}

function flushDeadKey(work: Work, pending: MutablePending): void {
  if (pending.deadKey !== undefined) {
    append(work, pending, pending.deadKey);
    pending.deadKey = undefined;
  }
}

function complete(work: Work, terminator: ScanTerminator, endedAt: number): void {
  const pending = work.pending;
  work.pending = undefined;
  if (pending === undefined) {
    if (terminator !== 'timeout') work.stray.push(`${terminator} with no scan data ignored`);
    return;
  }
  flushDeadKey(work, pending);
  if (pending.altCode !== undefined) {
    pending.warnings.push(`unfinished Alt code ${pending.altCode} dropped`);
  }
  if (pending.data === '') {
    work.stray.push(...pending.warnings);
    if (terminator !== 'timeout') work.stray.push(`${terminator} with no scan data ignored`);
    return;
  }
  work.scans.push({
    data: pending.data,
    terminator,
    startedAt: pending.startedAt,
    endedAt,
    warnings: pending.warnings,
  });
}

function closeIfIdle(work: Work, now: number): void {
  const pending = work.pending;
  if (pending !== undefined && now - pending.lastAt >= work.config.interScanTimeoutMs) {
    complete(work, 'timeout', pending.lastAt);
  }
}

function isAltHeld(modifiers: number, layout: KeyboardLayout): boolean {
  if ((modifiers & MODIFIER.leftAlt) !== 0) return true;
  return !layout.hasAltGr && (modifiers & MODIFIER.rightAlt) !== 0;
}

function isKeypad(usage: number): boolean {
  return (usage >= KEYPAD_FIRST && usage <= KEYPAD_LAST) || usage === KEYPAD_EQUALS;
}

function keypadDigit(usage: number): string | undefined {
  if (usage === USAGE.keypad0) return '0';
  if (usage >= USAGE.keypad1 && usage < USAGE.keypad0) return String(usage - USAGE.keypad1 + 1);
  return undefined;
}

/** Windows Alt codes: leading 0 = ANSI (windows-1252); below 128 both forms are ASCII. */
function altCodeCharacter(digits: string): string | undefined {
  const value = Number.parseInt(digits, 10);
  if (value < 128) return String.fromCharCode(value);
  if (digits.startsWith('0') && value <= 255) return windows1252.decode(Uint8Array.of(value));
  return undefined;
}

function finishAltCode(work: Work): void {
  const pending = work.pending;
  if (pending?.altCode === undefined) return;
  const digits = pending.altCode;
  pending.altCode = undefined;
  const ch = altCodeCharacter(digits);
  if (ch === undefined) {
    pending.warnings.push(`Alt code ${digits} not supported (OEM code page or above 255)`);
    return;
  }
  flushDeadKey(work, pending);
  append(work, pending, ch);
}

/** Ctrl+@, Ctrl+A..Z, Ctrl+[ \ ] ^ _ (letters in either case) → 0x00..0x1F. */
function controlCharacter(ch: string): string | undefined {
  if (ch.length !== 1) return undefined;
  const code = ch.charCodeAt(0);
  const upper = code >= 0x61 && code <= 0x7a ? code - 0x20 : code;
  if (upper < 0x40 || upper > 0x5f) return undefined;
  return String.fromCharCode(upper & 0x1f);
}

function levelCharacter(entry: LayoutEntry, shift: boolean, altGr: boolean): string | undefined {
  if (altGr) return shift ? entry[4] : entry[3];
  return shift ? entry[2] : entry[1];
}

function typeCharacter(work: Work, pending: MutablePending, ch: string): void {
  const { deadKeys } = work.config.layout;
  const dead = pending.deadKey;
  if (deadKeys[ch] !== undefined) {
    if (dead === undefined) {
      pending.deadKey = ch;
    } else {
      pending.deadKey = undefined;
      append(work, pending, dead + ch);
    }
    return;
  }
  if (dead === undefined) {
    append(work, pending, ch);
    return;
  }
  pending.deadKey = undefined;
  if (ch === ' ') {
    append(work, pending, dead);
    return;
  }
  // NFC composes e + U+0302 into ê; when no precomposed character exists, type both.
  const composed = (ch + (deadKeys[dead] ?? '')).normalize('NFC');
  append(work, pending, composed.length === 1 ? composed : dead + ch);
}

interface KeyPress {
  readonly usage: number;
  readonly modifiers: number;
  readonly now: number;
}

function terminatorFor(usage: number): TerminatorKey | undefined {
  if (usage === USAGE.enter || usage === USAGE.keypadEnter) return 'enter';
  if (usage === USAGE.tab) return 'tab';
  return undefined;
}

function handleKeyPress(work: Work, press: KeyPress): void {
  const { usage, modifiers, now } = press;
  const { config } = work;
  if (isModifierUsage(usage)) return;

  const terminator = terminatorFor(usage);
  if (terminator !== undefined) {
    if (config.terminators.has(terminator)) {
      complete(work, terminator, now);
    } else {
      const pending = ensurePending(work, now);
      flushDeadKey(work, pending);
      append(work, pending, terminator === 'enter' ? '\n' : '\t');
    }
    return;
  }

  if (isAltHeld(modifiers, config.layout)) {
    const digit = keypadDigit(usage);
    const pending = ensurePending(work, now);
    if (digit === undefined) pending.warnings.push(`Alt+${usageName(usage)} ignored`);
    else pending.altCode = (pending.altCode ?? '') + digit;
    return;
  }

  const entry = config.keys.get(usage);
  if (entry === undefined) {
    if (isNonPrintingUsage(usage) && work.pending === undefined) {
      work.stray.push(`non-printing key ${usageName(usage)} outside a scan ignored`);
      return;
    }
    const pending = ensurePending(work, now);
    pending.warnings.push(
      isNonPrintingUsage(usage)
        ? `non-printing key ${usageName(usage)} ignored`
        : `unknown usage ${usageName(usage)} on layout ${config.layout.name} ignored`,
    );
    return;
  }

  const pending = ensurePending(work, now);
  const keypad = isKeypad(usage);
  const shift = !keypad && (modifiers & SHIFT) !== 0;
  const altGr = config.layout.hasAltGr && (modifiers & MODIFIER.rightAlt) !== 0;
  const ch = levelCharacter(entry, shift, altGr);
  const hex = `0x${modifiers.toString(16).padStart(2, '0')}`;
  if (ch === undefined) {
    pending.warnings.push(
      `${usageName(usage)} with modifiers ${hex} types nothing on layout ${config.layout.name}`,
    );
    return;
  }
  if ((modifiers & GUI) !== 0) {
    pending.warnings.push(`GUI+${usageName(usage)} ignored`);
    return;
  }
  if ((modifiers & CTRL) !== 0) {
    const control = config.controlCharacters ? controlCharacter(ch) : undefined;
    if (control === undefined) {
      pending.warnings.push(`Ctrl+${usageName(usage)} (modifiers ${hex}) ignored`);
      return;
    }
    flushDeadKey(work, pending);
    append(work, pending, control);
    return;
  }
  if (keypad) {
    flushDeadKey(work, pending);
    append(work, pending, ch);
    return;
  }
  typeCharacter(work, pending, ch);
}

/**
 * Feeds one input report. Pure: returns the next state, the scans completed by this report (a
 * terminator, or the inter-scan timeout seen before this report's keys) and stray warnings.
 */
export function decodeKeyboardReport(
  state: KeyboardDecoderState,
  report: Uint8Array,
  now: number,
): KeyboardStepResult {
  const work = startWork(state);
  const unchanged = { pressed: state.pressed, modifiers: state.modifiers };
  closeIfIdle(work, now);

  let bytes = report;
  if (state.config.reportId !== undefined) {
    if (report[0] !== state.config.reportId) {
      warnReport(work, `report with id ${String(report[0])} ignored`);
      return finish(work, unchanged);
    }
    bytes = report.subarray(1);
  }
  if (bytes.length < 3) {
    warnReport(work, `report of ${bytes.length} bytes ignored (expected 8)`);
    return finish(work, unchanged);
  }
  if (bytes.length !== 8) warnReport(work, `report of ${bytes.length} bytes (expected 8)`);

  const modifiers = bytes[0] ?? 0;
  const keys: number[] = [];
  for (const usage of bytes.subarray(2)) {
    if (usage !== 0 && !keys.includes(usage)) keys.push(usage);
  }
  if (keys.some((usage) => usage <= USAGE.errorUndefined)) {
    warnReport(work, 'rollover error report (phantom state) ignored');
    return finish(work, unchanged);
  }

  const layout = state.config.layout;
  if (isAltHeld(state.modifiers, layout) && !isAltHeld(modifiers, layout)) finishAltCode(work);
  for (const usage of keys) {
    if (!state.pressed.includes(usage)) handleKeyPress(work, { usage, modifiers, now });
  }
  return finish(work, { pressed: keys, modifiers });
}

/** Completes a pending scan with terminator 'timeout' once `interScanTimeoutMs` have passed. */
export function flushKeyboardIdle(state: KeyboardDecoderState, now: number): KeyboardStepResult {
  const work = startWork(state);
  closeIfIdle(work, now);
  return finish(work, { pressed: state.pressed, modifiers: state.modifiers });
}

const MAX_KEPT_WARNINGS = 100;

/** Stateful wrapper around `decodeKeyboardReport` for one device. */
export class KeyboardScanDecoder {
  #state: KeyboardDecoderState;
  #warnings: string[] = [];

  constructor(options: KeyboardDecoderOptions = {}) {
    this.#state = initialKeyboardDecoderState(options);
  }

  /** Feeds one report; returns the scans it completed. */
  push(report: Uint8Array, now: number): readonly KeyboardScan[] {
    return this.#apply(decodeKeyboardReport(this.#state, report, now));
  }

  /** Completes a scan that has been idle for `interScanTimeoutMs`; call it from a timer. */
  flushIdle(now: number): readonly KeyboardScan[] {
    return this.#apply(flushKeyboardIdle(this.#state, now));
  }

  /** True while characters of an unfinished scan are buffered. */
  get hasPendingScan(): boolean {
    return this.#state.pending !== undefined;
  }

  /** Returns and clears the warnings that belonged to no scan (the newest 100 are kept). */
  takeWarnings(): readonly string[] {
    const warnings = this.#warnings;
    this.#warnings = [];
    return warnings;
  }

  #apply(result: KeyboardStepResult): readonly KeyboardScan[] {
    this.#state = result.state;
    this.#warnings.push(...result.warnings);
    if (this.#warnings.length > MAX_KEPT_WARNINGS) {
      this.#warnings = this.#warnings.slice(-MAX_KEPT_WARNINGS);
    }
    return result.scans;
  }
}

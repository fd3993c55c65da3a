/**
 * The framer state: a plain, immutable value that `stepEscpos` / `flushEscposIdle` / `endEscpos`
 * take and return (never mutate). Also option defaults and the buffered-bytes measure.
 *
 * Inputs: {@link EscposFramerOptions}. Outputs: {@link createEscposState} returns the initial
 * state; {@link escposBufferedBytes} how many stream bytes the state holds (bounded by
 * `maxReceiptBytes` + {@link MAX_PARAM_BYTES}).
 * Errors: `createEscposState` throws a `RangeError` for invalid options (a programming error);
 * stream bytes never cause an exception. Lifecycle: plain values; the caller keeps the latest.
 */
import type { ByteChain } from './byte-chain.js';
import { codePageForEscT, SUPPORTED_ESC_T } from './code-pages.js';
import type { PendingCode } from './escpos-codes.js';
import type { CodeCapture } from './escpos-commands.js';
import type { EscposFramerOptions, ResolvedEscposOptions } from './escpos-types.js';
import type { TextSnapshot } from './receipt-text.js';
import { EMPTY_TEXT } from './receipt-text.js';

export const DEFAULT_IDLE_MS = 2000;
export const DEFAULT_MAX_RECEIPT_BYTES = 256 * 1024;
export const MIN_MAX_RECEIPT_BYTES = 64;
/** Upper bound of command parameter bytes a state holds (`ESC & 3 32 126` + 95 widths, rounded up). */
export const MAX_PARAM_BYTES = 128;

export type ParserPhase = 'text' | 'prefix' | 'param' | 'payload' | 'until-nul';

/** Where the command parser is. Commands are re-looked-up from `prefix` + `commandByte`. */
export interface ParserState {
  readonly phase: ParserPhase;
  /** ESC, GS, FS or DLE of the command being read. */
  readonly prefix: number;
  readonly commandByte: number;
  readonly params: readonly number[];
  readonly payloadsDone: number;
  /** Payload bytes still to skip, or bytes still allowed before a NUL. */
  readonly remaining: number;
  /** A QR / barcode payload being read, with the stream offset of its first byte. */
  readonly capture: { readonly capture: CodeCapture; readonly start: number } | undefined;
  /** `ESC t` number in effect (always a supported one). */
  readonly codePage: number;
  readonly pageMode: boolean;
  /** LF or CR that just ended a line (its partner in a CR LF / LF CR pair is swallowed), else 0. */
  readonly lastBreak: number;
  /** UTF-8 mode: continuation bytes still expected, and the code point so far. */
  readonly utf8Needed: number;
  readonly utf8Value: number;
}

/** The receipt being collected. */
export interface SectionState {
  /** Stream offset of its first byte. */
  readonly start: number;
  /** Held bytes: the whole receipt so far, or only its first bytes once it is too large. */
  readonly held: ByteChain | undefined;
  readonly tooLarge: boolean;
  readonly text: TextSnapshot;
  readonly codes: readonly PendingCode[];
  readonly graphics: number;
  readonly warnings: readonly string[];
  readonly warningCount: number;
}

export interface EscposFramerState {
  readonly options: ResolvedEscposOptions;
  /** Stream offset of the next byte. */
  readonly offset: number;
  /** `now` of the last non-empty chunk; `undefined` before any byte and after an idle flush. */
  readonly lastByteAt: number | undefined;
  readonly parser: ParserState;
  readonly section: SectionState;
}

export function resolveEscposOptions(options: EscposFramerOptions = {}): ResolvedEscposOptions {
  const resolved: ResolvedEscposOptions = {
    idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
    maxReceiptBytes: options.maxReceiptBytes ?? DEFAULT_MAX_RECEIPT_BYTES,
    star: options.star ?? false,
    encoding: options.encoding ?? 'codepage',
    defaultCodePage: options.defaultCodePage ?? 0,
  };
  if (Number.isNaN(resolved.idleMs) || resolved.idleMs <= 0) {
    throw new RangeError(
      `idleMs must be > 0 (Infinity disables the idle timeout), got ${resolved.idleMs}`,
    );
  }
  if (codePageForEscT(resolved.defaultCodePage) === undefined) {
    const supported = SUPPORTED_ESC_T.join(', ');
    throw new RangeError(
      `defaultCodePage must be one of ${supported}, got ${resolved.defaultCodePage}`,
    );
  }
  if (
    !Number.isSafeInteger(resolved.maxReceiptBytes) ||
    resolved.maxReceiptBytes < MIN_MAX_RECEIPT_BYTES
  ) {
    throw new RangeError(
      `maxReceiptBytes must be an integer >= ${MIN_MAX_RECEIPT_BYTES}, got ${resolved.maxReceiptBytes}`,
    );
  }
  return resolved;
}

export function initialParserState(options: ResolvedEscposOptions): ParserState {
  return {
    phase: 'text',
    prefix: 0,
    commandByte: 0,
    params: [],
    payloadsDone: 0,
    remaining: 0,
    capture: undefined,
    codePage: options.defaultCodePage,
    pageMode: false,
    lastBreak: 0,
    utf8Needed: 0,
    utf8Value: 0,
  };
}

export function emptySection(start: number): SectionState {
  return {
    start,
    held: undefined,
    tooLarge: false,
    text: EMPTY_TEXT,
    codes: [],
    graphics: 0,
    warnings: [],
    warningCount: 0,
  };
}

/** The initial state (offset 0, nothing held, default code page). */
export function createEscposState(options: EscposFramerOptions = {}): EscposFramerState {
  return initialState(resolveEscposOptions(options));
}

export function initialState(options: ResolvedEscposOptions): EscposFramerState {
  return {
    options,
    offset: 0,
    lastByteAt: undefined,
    parser: initialParserState(options),
    section: emptySection(0),
  };
}

/** Stream bytes the state holds: receipt bytes plus pending command parameters. */
export function escposBufferedBytes(state: EscposFramerState): number {
  return (state.section.held?.length ?? 0) + state.parser.params.length;
}

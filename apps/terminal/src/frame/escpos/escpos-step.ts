/**
 * The ESC/POS receipt splitter and text decoder as pure functions over {@link EscposFramerState}.
 *
 * Inputs: `stepEscpos(state, chunk, now)` takes the next bytes of one printer stream (any chunking)
 * and a timestamp in ms; `flushEscposIdle(state, now)` is called by the owner's timer;
 * `endEscpos(state)` when the stream ends. None of them mutates its input state or the chunk, does
 * I/O or reads a clock. Outputs: `{ state, frames }`. The same bytes give the same frames whatever
 * the chunking (given the same idle flushes).
 *
 * Receipts end on a cut (`GS V m [n]`, `ESC i`, `ESC m`, `ESC w`, Star `ESC d n`), on idle (a gap
 * >= `idleMs` before a chunk, or `flushEscposIdle`), or at `endEscpos`. Commands are consumed by
 * their declared lengths (see `escpos-commands.ts`); binary payloads are skipped, QR / barcode
 * payloads are kept as `codes`. Text is decoded through the active `ESC t` code page (UTF-8 only
 * with `encoding: 'utf8'`); LF, CR, CR LF and LF CR all end one line, as do FF and feeds.
 *
 * Bytes between receipts: a receipt's `raw` runs from the end of the previous section to its own
 * end, so the drawer kick after a cut and the `ESC @` before the next text start the next receipt.
 * A section closed by a cut, idle or end that has no visible text, no codes and no printed graphic
 * (e.g. `ESC t 2 ESC m`, or a drawer kick followed by an idle pause or the end) produces no frame:
 * its bytes are attached to nothing. Printed graphics count as content because a receipt can be
 * printed as one image (escpos-php's demo.bin has two image-only jobs).
 *
 * Errors: malformed or unknown input never throws: unknown commands are consumed with a warning,
 * unsupported code pages keep the current table with a warning. A receipt longer than
 * `maxReceiptBytes` becomes a `rejected` frame (`RECEIPT_TOO_LARGE`) holding its first
 * `min(1024, maxReceiptBytes)` bytes; the rest is skipped (still parsed, so the next cut is found)
 * and the next receipt starts after that cut. Memory: see `escposBufferedBytes`.
 * Lifecycle: the caller owns the state value and any timer; nothing here holds resources.
 */
import { appendBytes, concatBytes } from './byte-chain.js';
import type { ByteChain } from './byte-chain.js';
import type { CodePage } from './code-pages.js';
import { CP437, codePageForEscT } from './code-pages.js';
import { resolveCodes } from './escpos-codes.js';
import type { PendingCode } from './escpos-codes.js';
import { DLE, ESC, FS, GS, lookupCommand, unknownCommandName } from './escpos-commands.js';
import type { CodeCapture, CommandEffect, CommandNeed, CommandSpec } from './escpos-commands.js';
import { emptySection, initialState } from './escpos-state.js';
import type { EscposFramerState, ParserPhase, ParserState, SectionState } from './escpos-state.js';
import type {
  EscposEndedBy,
  EscposFrame,
  EscposStepResult,
  ResolvedEscposOptions,
} from './escpos-types.js';
import { MAX_BLANK_LINES, TextBuilder } from './receipt-text.js';

/** Bytes kept from a rejected (too large) receipt. */
export const REJECTED_PREFIX_BYTES = 1024;
/** Warnings stored per receipt (`warningCount` keeps counting). */
export const MAX_WARNINGS = 32;
/** Codes kept per receipt. */
export const MAX_CODES = 64;

const LF = 0x0a;
const CR = 0x0d;
const FF = 0x0c;
const HT = 0x09;
const REPLACEMENT = '\ufffd';
const EMPTY = new Uint8Array(0);

type StepResult = EscposStepResult<EscposFramerState>;

/** Feeds one chunk received at `now` (ms). A gap of `idleMs` or more first closes the open receipt. */
export function stepEscpos(state: EscposFramerState, chunk: Uint8Array, now: number): StepResult {
  const idle = flushEscposIdle(state, now);
  if (chunk.length === 0) return idle;
  const run = new StepRun(idle.state, chunk);
  run.process();
  return { state: run.toState(now), frames: [...idle.frames, ...run.frames] };
}

/** Closes the open receipt if nothing arrived for `idleMs`; control-only bytes are dropped. */
export function flushEscposIdle(state: EscposFramerState, now: number): StepResult {
  if (state.lastByteAt === undefined || now - state.lastByteAt < state.options.idleMs) {
    return { state, frames: [] };
  }
  const run = new StepRun(state, EMPTY);
  run.closeAtBoundary('idle');
  return { state: run.toState(undefined), frames: run.frames };
}

/** Ends the stream: closes the open receipt and returns a fresh initial state. */
export function endEscpos(state: EscposFramerState): StepResult {
  const run = new StepRun(state, EMPTY);
  run.closeAtBoundary('end');
  return { state: initialState(state.options), frames: run.frames };
}

function isPrefixByte(byte: number): boolean {
  return byte === ESC || byte === GS || byte === FS || byte === DLE;
}

/** One step's working copy of the state; mutable inside, converted back by `toState`. */
class StepRun {
  readonly frames: EscposFrame[] = [];
  private readonly options: ResolvedEscposOptions;
  private readonly chunk: Uint8Array;
  /** Stream offset of `chunk[0]`. */
  private readonly base: number;
  /** First chunk index that belongs to the open receipt and is not yet held. */
  private segmentStart = 0;

  // parser
  private phase: ParserPhase;
  private prefix: number;
  private commandByte: number;
  private spec: CommandSpec | undefined;
  private params: number[];
  private payloadsDone: number;
  private remaining: number;
  private capture: { readonly capture: CodeCapture; readonly start: number } | undefined;
  private codePageNumber: number;
  private codePage: CodePage;
  private pageMode: boolean;
  private lastBreak: number;
  private utf8Needed: number;
  private utf8Value: number;

  // open receipt
  private start: number;
  private held: ByteChain | undefined;
  private tooLarge: boolean;
  private readonly text: TextBuilder;
  private codes: PendingCode[];
  private graphics: number;
  private warnings: string[];
  private warningCount: number;

  constructor(state: EscposFramerState, chunk: Uint8Array) {
    this.options = state.options;
    this.chunk = chunk;
    this.base = state.offset;
    const { parser, section } = state;
    this.phase = parser.phase;
    this.prefix = parser.prefix;
    this.commandByte = parser.commandByte;
    this.params = [...parser.params];
    this.payloadsDone = parser.payloadsDone;
    this.remaining = parser.remaining;
    this.capture = parser.capture;
    this.codePageNumber = parser.codePage;
    this.codePage = codePageForEscT(parser.codePage) ?? CP437;
    this.pageMode = parser.pageMode;
    this.lastBreak = parser.lastBreak;
    this.utf8Needed = parser.utf8Needed;
    this.utf8Value = parser.utf8Value;
    this.spec =
      this.phase === 'text' || this.phase === 'prefix' ? undefined : this.lookup(this.commandByte);
    this.start = section.start;
    this.held = section.held;
    this.tooLarge = section.tooLarge;
    this.text = new TextBuilder(section.text);
    this.codes = [...section.codes];
    this.graphics = section.graphics;
    this.warnings = [...section.warnings];
    this.warningCount = section.warningCount;
  }

  /** Parses every byte of the chunk. */
  process(): void {
    const { chunk } = this;
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'payload') {
        const take = Math.min(this.remaining, chunk.length - i);
        this.checkSize(i, take);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.payloadDone(i - 1);
        continue;
      }
      this.checkSize(i, 1);
      this.handle(chunk[i] ?? 0, i);
      i += 1;
    }
  }

  /** At a pause or the end: resolve commands whose optional parameters did not come, then close. */
  closeAtBoundary(endedBy: EscposEndedBy): void {
    if (this.phase === 'param' && this.spec !== undefined) {
      const need = this.spec.next(this.params, this.context(true));
      if (need.type === 'done') {
        this.phase = 'text';
        this.params = [];
        if (need.effect !== undefined) this.apply(need.effect, 0);
      }
    }
    if (endedBy === 'end' && this.utf8Needed > 0) {
      this.utf8Needed = 0;
      this.appendText(REPLACEMENT, true);
    }
    this.closeReceipt({ endedBy, endIndex: 0 });
  }

  toState(lastByteAt: number | undefined): EscposFramerState {
    if (!this.tooLarge) this.held = appendBytes(this.held, this.chunk.subarray(this.segmentStart));
    const parser: ParserState = {
      phase: this.phase,
      prefix: this.prefix,
      commandByte: this.commandByte,
      params: this.params,
      payloadsDone: this.payloadsDone,
      remaining: this.remaining,
      capture: this.capture,
      codePage: this.codePageNumber,
      pageMode: this.pageMode,
      lastBreak: this.lastBreak,
      utf8Needed: this.utf8Needed,
      utf8Value: this.utf8Value,
    };
    const section: SectionState = {
      start: this.start,
      held: this.held,
      tooLarge: this.tooLarge,
      text: this.text.snapshot(),
      codes: this.codes,
      graphics: this.graphics,
      warnings: this.warnings,
      warningCount: this.warningCount,
    };
    return {
      options: this.options,
      offset: this.base + this.chunk.length,
      lastByteAt,
      parser,
      section,
    };
  }

  private lookup(byte: number): CommandSpec | undefined {
    return lookupCommand(this.prefix, byte, { star: this.options.star, pageMode: this.pageMode });
  }

  private context(boundary: boolean): {
    star: boolean;
    pageMode: boolean;
    payloadsDone: number;
    boundary: boolean;
  } {
    return {
      star: this.options.star,
      pageMode: this.pageMode,
      payloadsDone: this.payloadsDone,
      boundary,
    };
  }

  /** Switches to "too large" when chunk bytes [index, index + count) push the receipt over the cap. */
  private checkSize(index: number, count: number): void {
    if (this.tooLarge || this.base + index + count - this.start <= this.options.maxReceiptBytes)
      return;
    const keep = Math.min(REJECTED_PREFIX_BYTES, this.options.maxReceiptBytes);
    const heldLength = this.held?.length ?? 0;
    const tailEnd = Math.min(index + count, this.segmentStart + Math.max(0, keep - heldLength));
    const prefix = concatBytes(this.held, this.chunk.subarray(this.segmentStart, tailEnd)).slice(
      0,
      keep,
    );
    this.held = appendBytes(undefined, prefix);
    this.tooLarge = true;
    this.text.clear();
    this.codes = [];
    this.graphics = 0;
  }

  private handle(byte: number, index: number): void {
    for (;;) {
      switch (this.phase) {
        case 'text':
          this.handleText(byte);
          return;
        case 'prefix':
          this.lastBreak = 0;
          if (!this.startCommand(byte, index)) return;
          break; // reprocess the byte as text
        case 'param':
          this.lastBreak = 0;
          this.params.push(byte);
          if (!this.advance(this.next(), index)) return;
          break;
        case 'until-nul':
          this.lastBreak = 0;
          this.untilNul(byte, index);
          return;
        case 'payload':
          // Only reached through `handle` when a payload was set up mid-byte; skip one byte.
          this.remaining -= 1;
          if (this.remaining <= 0) this.payloadDone(index);
          return;
      }
    }
  }

  /** Returns true when `byte` must be parsed again as text. */
  private startCommand(byte: number, index: number): boolean {
    const spec = this.lookup(byte);
    this.phase = 'text';
    if (spec === undefined) {
      if (this.prefix === DLE) return true; // a lone DLE is an ignored control byte
      if (isPrefixByte(byte)) {
        this.warn(
          `stray ${unknownCommandName(this.prefix, byte)} at byte ${this.base + index - 1}`,
        );
        return true;
      }
      this.warn(
        `unknown command ${unknownCommandName(this.prefix, byte)} at byte ${this.base + index - 1}`,
      );
      return false;
    }
    this.spec = spec;
    this.commandByte = byte;
    this.params = [];
    this.payloadsDone = 0;
    return this.advance(this.next(), index);
  }

  private next(): CommandNeed {
    return this.spec === undefined
      ? { type: 'done' }
      : this.spec.next(this.params, this.context(false));
  }

  /** Acts on what the command needs next; returns true when the current byte must be re-parsed. */
  private advance(first: CommandNeed, index: number): boolean {
    let need = first;
    for (;;) {
      switch (need.type) {
        case 'param':
          this.phase = 'param';
          return false;
        case 'until-nul':
          this.phase = 'until-nul';
          this.remaining = need.max;
          this.capture =
            need.capture === undefined
              ? undefined
              : { capture: need.capture, start: this.base + index + 1 };
          return false;
        case 'payload':
          this.capture =
            need.capture === undefined
              ? undefined
              : { capture: need.capture, start: this.base + index + 1 };
          if (need.length > 0) {
            this.phase = 'payload';
            this.remaining = need.length;
            return false;
          }
          this.finishCapture(this.base + index + 1);
          this.payloadsDone += 1;
          need = this.next();
          break;
        case 'done': {
          this.phase = 'text';
          this.params = [];
          const reprocess = need.reprocessLast === true;
          if (need.effect !== undefined) this.apply(need.effect, reprocess ? index : index + 1);
          return reprocess;
        }
      }
    }
  }

  private payloadDone(lastIndex: number): void {
    this.finishCapture(this.base + lastIndex + 1);
    this.payloadsDone += 1;
    this.phase = 'text';
    this.advance(this.next(), lastIndex);
  }

  private untilNul(byte: number, index: number): void {
    this.remaining -= 1;
    if (byte !== 0 && this.remaining > 0) return;
    if (byte !== 0) {
      this.warn(
        `${this.spec?.name ?? 'command'} data without NUL terminator ended at byte ${this.base + index}`,
      );
    }
    this.finishCapture(this.base + index + (byte === 0 ? 0 : 1));
    this.payloadsDone += 1;
    this.phase = 'text';
    this.advance(this.next(), index);
  }

  /** Records the captured payload ending before stream offset `end`. */
  private finishCapture(end: number): void {
    const pending = this.capture;
    this.capture = undefined;
    if (pending === undefined || this.tooLarge) return;
    if (this.codes.length >= MAX_CODES) {
      this.warn(
        `more than ${MAX_CODES} codes in one receipt; code at byte ${pending.start} dropped`,
      );
      return;
    }
    this.codes.push({
      capture: pending.capture,
      start: pending.start,
      length: end - pending.start,
    });
  }

  /** Applies a finished command's effect; `endIndex` is the chunk index just after the command. */
  private apply(effect: CommandEffect, endIndex: number): void {
    switch (effect.type) {
      case 'initialize':
        if (this.text.lineLength > 0) this.text.breakLine();
        this.setCodePage(this.options.defaultCodePage);
        this.pageMode = false;
        return;
      case 'select-code-page':
        if (this.options.encoding === 'utf8') return;
        if (codePageForEscT(effect.n) === undefined) {
          this.warn(
            `ESC t ${effect.n}: code page not supported, still decoding as ${this.codePage.name}`,
          );
          return;
        }
        this.setCodePage(effect.n);
        return;
      case 'feed-lines': {
        const breaks = this.text.lineLength > 0 ? Math.max(effect.n, 1) : effect.n;
        for (let k = 0; k < Math.min(breaks, MAX_BLANK_LINES + 1); k++) this.text.breakLine();
        return;
      }
      case 'feed-dots':
        if (this.text.lineLength > 0 || effect.n > 0) this.text.breakLine();
        return;
      case 'cut':
        this.closeReceipt({ endedBy: 'cut', endIndex, cut: effect.label });
        return;
      case 'page-mode':
        this.pageMode = effect.on;
        return;
      case 'graphic':
        if (!this.tooLarge) this.graphics += 1;
        return;
      case 'warning':
        this.warn(`${effect.message} (before byte ${this.base + endIndex})`);
        return;
    }
  }

  private setCodePage(n: number): void {
    const page = codePageForEscT(n);
    if (page === undefined) return;
    this.codePageNumber = n;
    this.codePage = page;
  }

  private handleText(byte: number): void {
    if (this.utf8Needed > 0 && (byte & 0xc0) !== 0x80) {
      this.utf8Needed = 0;
      this.appendText(REPLACEMENT, true);
    }
    if (byte !== LF && byte !== CR) this.lastBreak = 0;
    if (isPrefixByte(byte)) {
      this.phase = 'prefix';
      this.prefix = byte;
      return;
    }
    if (byte === LF || byte === CR) {
      const partner = byte === LF ? CR : LF;
      if (this.lastBreak === partner) {
        this.lastBreak = 0;
      } else {
        this.text.breakLine();
        this.lastBreak = byte;
      }
      return;
    }
    if (byte === FF) {
      if (this.text.lineLength > 0) this.text.breakLine();
      this.pageMode = false;
      return;
    }
    if (byte === HT) {
      this.appendText('\t', false);
      return;
    }
    if (byte < 0x20 || byte === 0x7f) return;
    if (this.options.encoding === 'utf8' && byte >= 0x80) {
      this.utf8Byte(byte);
      return;
    }
    this.appendText(this.codePage.chars[byte] ?? '', this.codePage.visible[byte] === true);
  }

  private utf8Byte(byte: number): void {
    if (this.utf8Needed > 0) {
      this.utf8Value = (this.utf8Value << 6) | (byte & 0x3f);
      this.utf8Needed -= 1;
      if (this.utf8Needed > 0) return;
      const value = this.utf8Value;
      const valid = value >= 0x80 && value <= 0x10ffff && (value < 0xd800 || value > 0xdfff);
      const char = valid ? String.fromCodePoint(value) : REPLACEMENT;
      this.appendText(char, char.trim() !== '');
      return;
    }
    if (byte >= 0xc2 && byte <= 0xdf) this.startUtf8(byte & 0x1f, 1);
    else if (byte >= 0xe0 && byte <= 0xef) this.startUtf8(byte & 0x0f, 2);
    else if (byte >= 0xf0 && byte <= 0xf4) this.startUtf8(byte & 0x07, 3);
    else this.appendText(REPLACEMENT, true);
  }

  private startUtf8(value: number, needed: number): void {
    this.utf8Value = value;
    this.utf8Needed = needed;
  }

  private appendText(chars: string, visible: boolean): void {
    if (!this.tooLarge) this.text.append(chars, visible);
  }

  private warn(message: string): void {
    this.warningCount += 1;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push(message);
  }

  /** Closes the open receipt just before chunk index `endIndex` and starts the next one there. */
  private closeReceipt(close: { endedBy: EscposEndedBy; endIndex: number; cut?: string }): void {
    const end = this.base + close.endIndex;
    const byteOffset = this.start;
    if (this.tooLarge) {
      const byteLength = end - byteOffset;
      this.frames.push({
        kind: 'rejected',
        code: 'RECEIPT_TOO_LARGE',
        reason: `receipt of ${byteLength} bytes exceeds maxReceiptBytes (${this.options.maxReceiptBytes})`,
        raw: concatBytes(this.held).subarray(0, Math.min(REJECTED_PREFIX_BYTES, byteLength)),
        byteOffset,
        byteLength,
        endedBy: close.endedBy,
      });
    } else if (this.text.hasInk || this.codes.length > 0 || this.graphics > 0) {
      const raw = concatBytes(this.held, this.chunk.subarray(this.segmentStart, close.endIndex));
      const resolved = resolveCodes(this.codes, { raw, byteOffset });
      for (const warning of resolved.warnings) this.warn(warning);
      const frame = {
        kind: 'receipt' as const,
        text: this.text.finish(),
        raw,
        byteOffset,
        endedBy: close.endedBy,
        codes: resolved.codes,
        graphics: this.graphics,
        warnings: this.warnings,
        warningCount: this.warningCount,
      };
      this.frames.push(close.cut === undefined ? frame : { ...frame, cut: close.cut });
    }
    const next = emptySection(end);
    this.start = next.start;
    this.held = next.held;
    this.tooLarge = false;
    this.text.clear();
    this.codes = [];
    this.graphics = 0;
    this.warnings = [];
    this.warningCount = 0;
    this.segmentStart = close.endIndex;
  }
}

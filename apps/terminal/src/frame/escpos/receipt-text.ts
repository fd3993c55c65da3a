/**
 * Builds the decoded text of one receipt, line by line, with bounded blank runs.
 *
 * Inputs: decoded characters (`append`) and line breaks (`breakLine`), fed by the ESC/POS parser.
 * Outputs: `finish()` returns the text with LF line ends, no leading or trailing blank lines, no
 * trailing spaces on a line, whitespace-only lines treated as blank, and at most
 * {@link MAX_BLANK_LINES} blank lines in a row (so a run of `ESC d 255` feeds cannot make the text
 * much longer than the bytes). `snapshot()` / the constructor convert to and from the immutable
 * {@link TextSnapshot} kept in the framer state.
 * Errors: none. Lifecycle: a builder lives for one `stepEscpos` call; only snapshots are stored.
 */

export const MAX_BLANK_LINES = 2;

/** Immutable text of an open receipt. */
export interface TextSnapshot {
  /** Finished lines, each ending in LF (no leading blank lines). */
  readonly done: string;
  /** The current, unfinished line. */
  readonly line: string;
  readonly lineHasInk: boolean;
  /** Blank lines after the last finished line, not yet written (capped). */
  readonly blankLines: number;
}

export const EMPTY_TEXT: TextSnapshot = { done: '', line: '', lineHasInk: false, blankLines: 0 };

export class TextBuilder {
  private done: string;
  private line: string;
  private lineHasInk: boolean;
  private blankLines: number;

  constructor(snapshot: TextSnapshot = EMPTY_TEXT) {
    this.done = snapshot.done;
    this.line = snapshot.line;
    this.lineHasInk = snapshot.lineHasInk;
    this.blankLines = snapshot.blankLines;
  }

  /** Whether anything non-blank was printed. */
  get hasInk(): boolean {
    return this.lineHasInk || this.done !== '';
  }

  /** Characters on the current line so far (whitespace included). */
  get lineLength(): number {
    return this.line.length;
  }

  /** Adds characters to the current line; `ink` says whether they are visible (not whitespace). */
  append(chars: string, ink: boolean): void {
    this.line += chars;
    if (ink) this.lineHasInk = true;
  }

  /** Ends the current line (an empty or whitespace-only line counts as blank). */
  breakLine(): void {
    if (this.lineHasInk) {
      if (this.done !== '') this.done += '\n'.repeat(this.blankLines);
      this.done += `${this.line.trimEnd()}\n`;
      this.blankLines = 0;
    } else if (this.blankLines < MAX_BLANK_LINES) {
      this.blankLines += 1;
    }
    this.line = '';
    this.lineHasInk = false;
  }

  /** Forgets everything (used when a receipt turns out too large). */
  clear(): void {
    this.done = '';
    this.line = '';
    this.lineHasInk = false;
    this.blankLines = 0;
  }

  snapshot(): TextSnapshot {
    return {
      done: this.done,
      line: this.line,
      lineHasInk: this.lineHasInk,
      blankLines: this.blankLines,
    };
  }

  /** The final text: finished lines plus the current line if it has ink. */
  finish(): string {
    return this.lineHasInk
      ? `${this.done}${this.done === '' ? '' : '\n'.repeat(this.blankLines)}${this.line.trimEnd()}\n`
      : this.done;
  }
}

/**
 * Line framing for JSON-lines and key=value journals. Pure, streaming, bounded memory.
 *
 * `stepLines(state, chunk)` → `{ state, frames }`; `endLines(state)` flushes a final line without
 * a terminator. Lines end in LF or CR LF (the CR is dropped); blank lines are skipped. A line
 * longer than `maxLineBytes` becomes a `rejected` frame with code `FRAME_TOO_LARGE` holding its
 * first `maxLineBytes` bytes; the rest of it is skipped up to the next LF. Every frame carries its
 * byte offset in the stream, so any frame can be traced back to the raw capture.
 * The same frames come out whatever way the bytes are chunked.
 */
export interface LineFrame {
  readonly kind: 'line';
  readonly bytes: Uint8Array;
  readonly byteOffset: number;
}

export interface RejectedLineFrame {
  readonly kind: 'rejected';
  readonly code: 'FRAME_TOO_LARGE';
  readonly reason: string;
  readonly bytes: Uint8Array;
  readonly byteOffset: number;
}

export type LineFramerFrame = LineFrame | RejectedLineFrame;

export interface LineFramerState {
  readonly pending: readonly Uint8Array[];
  readonly pendingBytes: number;
  /** Stream offset of the first pending byte (or of the next byte when nothing is pending). */
  readonly lineStart: number;
  /** True while skipping the tail of an over-long line. */
  readonly discarding: boolean;
  readonly maxLineBytes: number;
}

const LF = 0x0a;
const CR = 0x0d;

export function initialLineState(maxLineBytes = 1024 * 1024): LineFramerState {
  return { pending: [], pendingBytes: 0, lineStart: 0, discarding: false, maxLineBytes };
}

function isBlank(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x20 || b === 0x09 || b === CR);
}

function finish(bytes: Uint8Array, byteOffset: number): LineFrame | undefined {
  const trimmed = bytes.at(-1) === CR ? bytes.subarray(0, -1) : bytes;
  return isBlank(trimmed) ? undefined : { kind: 'line', bytes: trimmed, byteOffset };
}

function tooLarge(state: LineFramerState, bytes: Uint8Array): RejectedLineFrame {
  return {
    kind: 'rejected',
    code: 'FRAME_TOO_LARGE',
    reason: `line longer than ${state.maxLineBytes} bytes`,
    bytes: bytes.subarray(0, state.maxLineBytes),
    byteOffset: state.lineStart,
  };
}

export function stepLines(
  state: LineFramerState,
  chunk: Uint8Array,
): { state: LineFramerState; frames: LineFramerFrame[] } {
  const frames: LineFramerFrame[] = [];
  let { pending, pendingBytes, lineStart, discarding } = state;
  let chunkOffset = state.lineStart + state.pendingBytes; // stream offset of chunk[0] while not discarding
  if (discarding) chunkOffset = state.lineStart;
  let start = 0;
  for (;;) {
    const newline = chunk.indexOf(LF, start);
    const end = newline === -1 ? chunk.length : newline;
    const piece = chunk.subarray(start, end);
    if (!discarding) {
      if (pendingBytes + piece.length > state.maxLineBytes) {
        const prefix = Buffer.concat([
          ...pending,
          piece.subarray(0, state.maxLineBytes - pendingBytes),
        ]);
        frames.push(tooLarge({ ...state, lineStart }, prefix));
        pending = [];
        pendingBytes = 0;
        discarding = true;
      } else if (newline !== -1) {
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        const frame = finish(line, lineStart);
        if (frame) frames.push(frame);
        pending = [];
        pendingBytes = 0;
      } else if (piece.length > 0) {
        pending = [...pending, piece.slice()];
        pendingBytes += piece.length;
      }
    }
    if (newline === -1) break;
    discarding = false;
    start = newline + 1;
    lineStart = chunkOffset + start;
  }
  if (discarding) lineStart = chunkOffset + chunk.length;
  return { state: { ...state, pending, pendingBytes, lineStart, discarding }, frames };
}

export function endLines(state: LineFramerState): LineFramerFrame[] {
  if (state.discarding || state.pendingBytes === 0) return [];
  const frame = finish(Buffer.concat([...state.pending]), state.lineStart);
  return frame ? [frame] : [];
}

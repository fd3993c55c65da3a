/** The line framer (JSON lines, key=value journals) behind the `Framer` port. */
import type { Frame, Framer } from '../framer.js';

import { endLines, initialLineState, stepLines } from './line-framer.js';
import type { LineFramerFrame } from './line-framer.js';

function toFrame(frame: LineFramerFrame): Frame {
  return frame.kind === 'line'
    ? { kind: 'record', raw: frame.bytes, byteOffset: frame.byteOffset }
    : {
        kind: 'rejected',
        code: frame.code,
        reason: frame.reason,
        raw: frame.bytes,
        byteOffset: frame.byteOffset,
      };
}

export function lineRecordFramer(options: { maxLineBytes?: number } = {}): Framer {
  let state = initialLineState(options.maxLineBytes);
  return {
    push(chunk) {
      const step = stepLines(state, chunk);
      state = step.state;
      return step.frames.map(toFrame);
    },
    flushIdle() {
      return [];
    },
    end() {
      const frames = endLines(state).map(toFrame);
      state = initialLineState(options.maxLineBytes);
      return frames;
    },
  };
}

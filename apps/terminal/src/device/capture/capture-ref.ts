/**
 * Capture references `<file>@<offset>+<length>`: `length` bytes starting at byte `offset` of the
 * capture data file `<file>` (a base name). A range may run past the end of that file into the
 * next capture file(s) of the same directory (by sequence), when the writer rotated inside it.
 * Pure.
 */
export interface CaptureRef {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
}

export function formatCaptureRef(ref: CaptureRef): string {
  return `${ref.file}@${ref.offset}+${ref.length}`;
}

export function parseCaptureRef(text: string): CaptureRef | undefined {
  const match = /^(.+)@(\d+)\+(\d+)$/.exec(text);
  if (match === null) return undefined;
  const [, file, offset, length] = match;
  if (file === undefined || offset === undefined || length === undefined) return undefined;
  return { file, offset: Number(offset), length: Number(length) };
}

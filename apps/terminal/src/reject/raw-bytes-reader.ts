/**
 * A receipt's raw bytes found again from its `source.captureRef`, for rejections made after its
 * frame is gone (an id collision that only the queue could see, at hand-over).
 * A reference is `<file>@<offset>+<length>`: bytes of a raw capture in one of `captureDirs`
 * (serial sources), or of one of `files` named by its base name (file sources).
 * Output: the bytes, or `undefined` when the reference names nothing here or the bytes are gone
 * (capture retention, a rotated journal). Never throws. No lifecycle.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';

import { parseCaptureRef, readCaptureRef } from '../device/capture/index.js';

export interface RawBytesPlaces {
  readonly captureDirs: readonly string[];
  readonly files: readonly string[];
}

async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    if (bytesRead !== length) throw new RangeError(`${path} ends before ${offset + length}`);
    return buffer;
  } finally {
    await handle.close();
  }
}

export function rawBytesReader(
  places: RawBytesPlaces,
): (captureRef: string | undefined) => Promise<Uint8Array | undefined> {
  return async (captureRef) => {
    const ref = captureRef === undefined ? undefined : parseCaptureRef(captureRef);
    if (captureRef === undefined || ref === undefined) return undefined;
    for (const dir of places.captureDirs) {
      const bytes = await readCaptureRef({ dir, ref: captureRef }).catch(() => undefined);
      if (bytes !== undefined) return bytes;
    }
    for (const file of places.files.filter((f) => basename(f) === ref.file)) {
      const bytes = await readRange(file, ref.offset, ref.length).catch(() => undefined);
      if (bytes !== undefined) return bytes;
    }
    return undefined;
  };
}

/**
 * The port every input device implements: an async iterable of byte chunks plus `close()`.
 * `name` identifies the source in capture references (`<name>@<offset>+<length>`).
 * Ending the iteration means the source is exhausted (a file) or closed; a disconnect of a live
 * device is the device adapter's business (it reconnects and keeps yielding).
 */
export interface ByteSource extends AsyncIterable<Uint8Array> {
  readonly name: string;
  close(): Promise<void>;
}

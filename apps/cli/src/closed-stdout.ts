/**
 * A reader that goes away (`pos-ga4 ga4 map … | head -1`) closes the pipe: the next write to
 * stdout fails with EPIPE, which Node reports as an unhandled 'error' event with a stack trace.
 * That is not a failure of the command: `exitQuietlyOnEpipe` ends the process quietly with exit
 * code 0 instead, as `head` users expect. Any other stream error is rethrown (it crashes as
 * before). Installed once per stream, however often it is called (`main` runs it on every call).
 */
type Exit = (code: number) => void;

const installed = new WeakSet<NodeJS.EventEmitter>();

function isEpipe(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}

export function exitQuietlyOnEpipe(
  stream: NodeJS.EventEmitter,
  exit: Exit = (code) => process.exit(code),
): void {
  if (installed.has(stream)) return;
  installed.add(stream);
  stream.on('error', (error: unknown) => {
    if (!isEpipe(error)) throw error;
    exit(0);
  });
}

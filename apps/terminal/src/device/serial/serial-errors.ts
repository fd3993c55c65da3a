/**
 * Reading the errors serialport gives, pure: the disconnect flag of a `'close'` event, and open
 * failures turned into messages that say what to do ("Cannot lock port", permissions, missing
 * device). Input: anything thrown or emitted. Output: booleans and strings; never throws.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** serialport's `DisconnectedError`: the `'close'` event of an unplug carries one. */
export function isDisconnectError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'disconnected' in error &&
    error.disconnected === true
  );
}

export function describeOpenFailure(path: string, error: unknown): string {
  const message = messageOf(error);
  if (/cannot lock port/i.test(message))
    return `${path}: ${message} (another process or a lingering handle holds the port; on Node 20.11 or 21.6.1 start with UV_USE_IO_URING=0)`;
  if (/EACCES|permission denied/i.test(message))
    return `${path}: ${message} (the user needs read/write access: add it to the dialout group)`;
  if (/ENOENT|no such file|does not exist/i.test(message))
    return `${path}: ${message} (device not present; waiting for it)`;
  return `${path}: ${message}`;
}

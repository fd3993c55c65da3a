/**
 * GA4 web client ids as printed in a QR code or read from the `_ga` cookie.
 *
 * Input: scan data. Output: the client id `NNN.NNN` (the random part, 1-19 digits, then the
 * first-visit time as 10-digit unix seconds), from either `GA1.<n>.<random>.<seconds>` (the `_ga`
 * cookie value) or the bare `<random>.<seconds>`; `undefined` for anything else.
 * Errors: none. Lifecycle: pure. Note: an unsigned client id proves nothing about who shows it;
 * see `app-qr.ts` for the signed form.
 */
const COOKIE = /^GA1\.\d{1,2}\.(\d{1,19}\.[1-9]\d{9})$/;
const BARE = /^\d{1,19}\.[1-9]\d{9}$/;

export function parseGaClientId(data: string): string | undefined {
  if (BARE.test(data)) return data;
  return COOKIE.exec(data)?.[1];
}

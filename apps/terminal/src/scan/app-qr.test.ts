import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { signAppQr, verifyAppQr } from './app-qr.js';
import type { AppQrVerification } from './app-qr.js';

// The worked example of docs/app-qr-format.md. Never use this key outside tests and docs.
const KEY = 'E9_W4GeegY3V9serrOkEZXCO1bDPBveDo1CLX4Hl7sE';
const OTHER_KEY = 'r5tCk0x5Jm2sQ9WZy1vN8bHc3LpDe7FaUo4GiTqXwKY';
const ISSUED_AT = 1764146400; // 2025-11-26T08:40:00Z
const NOW = ISSUED_AT * 1000 + 30_000;
const EXAMPLE = 'POSGA4:1:k2025:1197596843.1732615200:1764146400:u-48151623:CZIyGOqZyJMhao_7Fz4yzA';
const EXAMPLE_NO_USER = 'POSGA4:1:k2025:1197596843.1732615200:1764146400::Np9fDizR6AaDnf3qa3x7Zw';
const keys = { k2025: KEY };

function verify(data: string, overrides: Partial<Parameters<typeof verifyAppQr>[1]> = {}) {
  return verifyAppQr(data, { keys, now: NOW, maxAgeSeconds: 600, ...overrides });
}

const reasonOf = (result: AppQrVerification) => (result.ok ? 'OK' : result.reason);

describe('signed app QR', () => {
  it('signs the documented worked example', () => {
    const base = { key: KEY, kid: 'k2025', clientId: '1197596843.1732615200', issuedAt: ISSUED_AT };
    expect(signAppQr({ ...base, userId: 'u-48151623' })).toBe(EXAMPLE);
    expect(signAppQr(base)).toBe(EXAMPLE_NO_USER);
    expect(EXAMPLE.length).toBeLessThanOrEqual(90);
  });

  it('matches the worked example and key printed in docs/app-qr-format.md', () => {
    const doc = readFileSync(new URL('../../../../docs/app-qr-format.md', import.meta.url), 'utf8');
    expect(doc).toContain(KEY);
    expect(doc).toContain(EXAMPLE);
    expect(doc).toContain(EXAMPLE_NO_USER);
  });

  it('verifies a valid code, with and without user id', () => {
    expect(verify(EXAMPLE)).toEqual({
      ok: true,
      kid: 'k2025',
      clientId: '1197596843.1732615200',
      userId: 'u-48151623',
      issuedAt: ISSUED_AT,
    });
    const withoutUser = verify(EXAMPLE_NO_USER);
    expect(withoutUser).toEqual({
      ok: true,
      kid: 'k2025',
      clientId: '1197596843.1732615200',
      issuedAt: ISSUED_AT,
    });
    expect(withoutUser).not.toHaveProperty('userId');
  });

  it('produces the same code as the Web Crypto snippet in the docs', async () => {
    // Same steps as the JavaScript snippet in docs/app-qr-format.md.
    async function signWithWebCrypto(secret: string, fields: readonly string[]): Promise<string> {
      const signed = ['POSGA4', '1', ...fields].join(':');
      const cryptoKey = await webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const mac = new Uint8Array(
        await webcrypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(signed)),
      );
      const b64 = btoa(String.fromCharCode(...mac.subarray(0, 16)));
      return `${signed}:${b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
    }
    const fields = ['k2025', '1197596843.1732615200', String(ISSUED_AT), 'u-48151623'];
    expect(await signWithWebCrypto(KEY, fields)).toBe(EXAMPLE);
  });

  it('rejects every single-character change (tampering)', () => {
    const alphabet = 'AZaz09.-_:1';
    const accepted: string[] = [];
    let tried = 0;
    for (let i = 0; i < EXAMPLE.length; i++) {
      for (const replacement of alphabet) {
        if (replacement === EXAMPLE.charAt(i)) continue;
        const tampered = EXAMPLE.slice(0, i) + replacement + EXAMPLE.slice(i + 1);
        tried += 1;
        if (verify(tampered).ok) accepted.push(tampered);
      }
    }
    expect(tried).toBeGreaterThan(EXAMPLE.length * 9);
    expect(accepted).toEqual([]);
    const clientIdChanged = EXAMPLE.replace('1197596843.', '1197596842.');
    expect(reasonOf(verify(clientIdChanged))).toBe('BAD_SIGNATURE');
    expect(reasonOf(verify(EXAMPLE.replace('u-48151623', 'u-48151624')))).toBe('BAD_SIGNATURE');
    expect(reasonOf(verify(EXAMPLE.replace(':CZIy', ':CZIz')))).toBe('BAD_SIGNATURE');
  });

  it('looks keys up by kid: unknown kid, wrong key, and rotation', () => {
    expect(reasonOf(verify(EXAMPLE, { keys: { k2026: OTHER_KEY } }))).toBe('UNKNOWN_KEY');
    expect(reasonOf(verify(EXAMPLE, { keys: { k2025: OTHER_KEY } }))).toBe('BAD_SIGNATURE');
    const rotated = { k2025: KEY, k2026: OTHER_KEY };
    const fresh = signAppQr({
      key: OTHER_KEY,
      kid: 'k2026',
      clientId: '55.1764146000',
      issuedAt: ISSUED_AT,
    });
    expect(reasonOf(verify(EXAMPLE, { keys: rotated }))).toBe('OK');
    expect(reasonOf(verify(fresh, { keys: rotated }))).toBe('OK');
    const protoKid = EXAMPLE.replace(':k2025:', ':__proto__:');
    expect(reasonOf(verify(protoKid))).toBe('UNKNOWN_KEY');
    expect(reasonOf(verify(EXAMPLE.replace(':k2025:', ':constructor:')))).toBe('UNKNOWN_KEY');
  });

  it('accepts raw-byte secrets', () => {
    const key = new Uint8Array(32).fill(7);
    const code = signAppQr({ key, kid: 'raw', clientId: 'abc', issuedAt: ISSUED_AT });
    expect(reasonOf(verify(code, { keys: { raw: key } }))).toBe('OK');
  });

  it('enforces the validity window: max age and not-before tolerance', () => {
    const at = (seconds: number) => (ISSUED_AT + seconds) * 1000;
    expect(reasonOf(verify(EXAMPLE, { now: at(600) }))).toBe('OK');
    expect(reasonOf(verify(EXAMPLE, { now: at(601) }))).toBe('EXPIRED');
    expect(reasonOf(verify(EXAMPLE, { now: at(3600), maxAgeSeconds: 7200 }))).toBe('OK');
    // A phone clock ahead of the till: issued 60 s "in the future" is tolerated, 61 s is not.
    expect(reasonOf(verify(EXAMPLE, { now: at(-60) }))).toBe('OK');
    expect(reasonOf(verify(EXAMPLE, { now: at(-61) }))).toBe('NOT_YET_VALID');
    expect(reasonOf(verify(EXAMPLE, { now: at(-61), notBeforeToleranceSeconds: 120 }))).toBe('OK');
    // The default max age is 10 minutes.
    expect(reasonOf(verifyAppQr(EXAMPLE, { keys, now: at(601) }))).toBe('EXPIRED');
  });

  it('checks the signature before the time window', () => {
    const tampered = EXAMPLE.replace('1197596843.', '1197596842.');
    expect(reasonOf(verify(tampered, { now: (ISSUED_AT + 99_999) * 1000 }))).toBe('BAD_SIGNATURE');
  });

  it.each([
    ['wrong prefix', EXAMPLE.replace('POSGA4', 'POSGA5'), 'MALFORMED'],
    ['other version', EXAMPLE.replace('POSGA4:1:', 'POSGA4:2:'), 'UNSUPPORTED_VERSION'],
    [
      'missing field',
      'POSGA4:1:k2025:1197596843.1732615200:1764146400:CZIyGOqZyJMhao_7Fz4yzA',
      'MALFORMED',
    ],
    ['extra field', `${EXAMPLE}:x`, 'MALFORMED'],
    ['short mac', EXAMPLE.slice(0, -1), 'MALFORMED'],
    ['leading zero time', EXAMPLE.replace(':1764146400:', ':01764146400:'), 'MALFORMED'],
    ['empty client id', EXAMPLE.replace(':1197596843.1732615200:', '::'), 'MALFORMED'],
    ['prefix only', 'POSGA4:', 'UNSUPPORTED_VERSION'],
    ['bare prefix', 'POSGA4', 'MALFORMED'],
  ])('reports %s', (_name, data, reason) => {
    expect(reasonOf(verify(data))).toBe(reason);
  });

  it('never puts a secret into an error message', () => {
    const secret = 'short-secret';
    const errors: unknown[] = [];
    const capture = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        errors.push(error);
      }
    };
    capture(() => signAppQr({ key: secret, kid: 'k1', clientId: 'abc', issuedAt: 1 }));
    capture(() => verifyAppQr(EXAMPLE.replace('k2025', 'k1'), { keys: { k1: secret }, now: NOW }));
    capture(() => signAppQr({ key: KEY, kid: 'k1', clientId: 'a:b', issuedAt: 1 }));
    capture(() => signAppQr({ key: KEY, kid: 'k1', clientId: 'abc', issuedAt: -1 }));
    capture(() => signAppQr({ key: KEY, kid: 'k1', clientId: 'abc', issuedAt: 1, userId: 'a b' }));
    capture(() => signAppQr({ key: KEY, kid: 'bad kid', clientId: 'abc', issuedAt: 1 }));
    expect(errors).toHaveLength(6);
    expect(errors.every((error) => error instanceof TypeError)).toBe(true);
    const messages = errors.map((error) => (error as Error).message);
    for (const message of messages) {
      expect(message).not.toContain(secret);
      expect(message).not.toContain(KEY);
    }
    expect(messages[0]).toBe('the secret for key id "k1" is shorter than 16 bytes');
  });
});

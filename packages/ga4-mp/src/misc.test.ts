import { describe, expect, it } from 'vitest';

import {
  buildUserData,
  classifyError,
  classifyStatus,
  collectUrl,
  describeEndpoint,
  hashEmail,
  hashPhone,
  minorToDecimal,
  normalizeEmail,
  normalizePhone,
  parseRetryAfter,
} from './index.js';

describe('minorToDecimal', () => {
  it.each([
    [1295, 2, 12.95],
    [5, 2, 0.05],
    [-5, 2, -0.05],
    [0, 2, 0],
    [1000, 3, 1],
    [1005, 3, 1.005],
    [1234, 0, 1234],
    [10_000_000_000_001, 2, 100_000_000_000.01],
  ])('%i with %i decimals is %d', (minor, exponent, expected) => {
    expect(minorToDecimal(minor, exponent)).toBe(expected);
  });

  it('prints as the exact decimal in JSON, where naive division drifts', () => {
    expect(JSON.stringify(minorToDecimal(1_001_001, 2))).toBe('10010.01');
    expect(JSON.stringify([minorToDecimal(29, 2) * 3])).not.toBe(
      JSON.stringify([minorToDecimal(87, 2)]),
    ); // 0.29*3 drifts
    expect(JSON.stringify(minorToDecimal(87, 2))).toBe('0.87');
  });
});

describe('user_data hashing (Google normalisation)', () => {
  it('matches the known SHA-256 vector', () => {
    expect(hashEmail('test@example.com')).toBe(
      '973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b',
    );
  });

  it('trims, lower-cases and drops dots before @gmail.com / @googlemail.com only', () => {
    expect(normalizeEmail('  John.Doe@GMAIL.com ')).toBe('johndoe@gmail.com');
    expect(normalizeEmail('john.doe@googlemail.com')).toBe('johndoe@googlemail.com');
    expect(normalizeEmail('John.Doe@Example.com')).toBe('john.doe@example.com');
    expect(hashEmail(' TEST@example.com')).toBe(hashEmail('test@example.com'));
  });

  it('normalises phones to E.164 and refuses numbers without a country code', () => {
    expect(normalizePhone('+49 (30) 1234-5678')).toBe('+493012345678');
    expect(normalizePhone('0049 30 12345678')).toBe('+493012345678');
    expect(normalizePhone('030 12345678')).toBeUndefined();
    expect(hashPhone('+1 800 555 0100')).toBe(hashPhone('+18005550100'));
  });

  it('builds user_data with de-duplicated hashes', () => {
    expect(buildUserData({ emails: ['a@b.de', ' A@B.de'], phones: ['bad'] })).toEqual({
      sha256_email_address: [hashEmail('a@b.de')],
    });
    expect(buildUserData({})).toBeUndefined();
  });
});

describe('send outcomes', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');
  it('classifies statuses', () => {
    expect(classifyStatus(204, { now, body: '' })).toEqual({ kind: 'sent', status: 204 });
    expect(classifyStatus(429, { now, body: '', retryAfter: '7' })).toMatchObject({
      kind: 'retryable',
      reason: 'HTTP_429',
      retryAfterMs: 7000,
    });
    expect(classifyStatus(503, { now, body: 'busy' })).toMatchObject({
      kind: 'retryable',
      reason: 'HTTP_5XX',
    });
    expect(classifyStatus(400, { now, body: 'bad' })).toMatchObject({
      kind: 'rejected',
      reason: 'HTTP_4XX',
      status: 400,
    });
    expect(classifyStatus(403, { now, body: '' })).toMatchObject({ kind: 'rejected' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('treats timeouts and resets as retryable', () => {
    expect(
      classifyError(Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' })),
    ).toMatchObject({ reason: 'TIMEOUT' });
    expect(classifyError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toMatchObject({
      reason: 'NETWORK',
    });
  });
});

describe('endpoints', () => {
  const destination = {
    region: 'eu' as const,
    stream: { measurementId: 'G-ABC' },
    apiSecret: 's3cr3t-value',
  };
  it('builds the EU, debug and app URLs', () => {
    expect(collectUrl(destination, false)).toBe(
      'https://region1.google-analytics.com/mp/collect?measurement_id=G-ABC&api_secret=s3cr3t-value',
    );
    expect(collectUrl({ ...destination, region: 'global' }, true)).toBe(
      'https://www.google-analytics.com/debug/mp/collect?measurement_id=G-ABC&api_secret=s3cr3t-value',
    );
    expect(
      collectUrl({ ...destination, stream: { firebaseAppId: '1:2:android:3' } }, false),
    ).toContain('firebase_app_id=1%3A2%3Aandroid%3A3');
  });

  it('describes an endpoint without its secret', () => {
    expect(describeEndpoint(destination)).toBe(
      'https://region1.google-analytics.com/mp/collect (G-ABC)',
    );
    expect(describeEndpoint(destination, true)).not.toContain('s3cr3t');
  });
});

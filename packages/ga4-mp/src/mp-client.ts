/**
 * The Measurement Protocol HTTP client.
 *
 * - One keep-alive connection pool per client (undici `Agent`), at most `connections` sockets
 *   per origin: that bounds concurrency; more requests wait in the pool's queue.
 * - Every request has a deadline (`timeoutMs`, default 10 s).
 * - `send(body)` posts to `/mp/collect` and returns a typed `SendOutcome` (classify-response.ts);
 *   it never throws for HTTP or network failures.
 * - `validate(body)` posts to `/debug/mp/collect` and returns its `validationMessages`; with
 *   `debug: true`, `send` does that too (staging: nothing reaches reports).
 * - The api_secret exists only in the URL handed to undici; outcomes, errors and `describe()` never
 *   contain it.
 * Lifecycle: the caller owns the client and must `close()` it (drains the pool).
 */
import { Agent, request } from 'undici';

import { classifyError, classifyStatus } from './classify-response.js';
import type { SendOutcome } from './classify-response.js';
import { collectUrl, describeEndpoint } from './endpoint.js';
import type { Ga4Destination } from './endpoint.js';
import type { MpRequest, ValidationMessage } from './wire-types.js';

export interface MpClientOptions {
  readonly destination: Ga4Destination;
  readonly timeoutMs?: number;
  readonly connections?: number;
  readonly userAgent?: string;
  /**
   * Debug mode: `send` posts to `/debug/mp/collect` instead (nothing reaches reports) and
   * answers `rejected`/`VALIDATION_FAILED` with the validationMessages when there are any.
   */
  readonly debug?: boolean;
}

export type ValidateOutcome =
  | { readonly kind: 'validated'; readonly validationMessages: ValidationMessage[] }
  | Exclude<SendOutcome, { kind: 'sent' }>;

export interface MpClient {
  send(body: MpRequest): Promise<SendOutcome>;
  validate(body: MpRequest): Promise<ValidateOutcome>;
  describe(debug?: boolean): string;
  close(): Promise<void>;
}

export function createMpClient(options: MpClientOptions): MpClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const agent = new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 5_000),
  });
  const headers = {
    'content-type': 'application/json',
    'user-agent': options.userAgent ?? 'pos-ga4',
  };

  async function post(
    body: MpRequest,
    debug: boolean,
  ): Promise<{ outcome: SendOutcome; text: string }> {
    try {
      const response = await request(collectUrl(options.destination, debug), {
        dispatcher: agent,
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.body.text();
      const retryAfter = response.headers['retry-after'];
      const outcome = classifyStatus(response.statusCode, {
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        now: Date.now(),
        body: text,
      });
      return { outcome, text };
    } catch (error) {
      return { outcome: classifyError(error), text: '' };
    }
  }

  async function validate(body: MpRequest): Promise<ValidateOutcome> {
    const { outcome, text } = await post(body, true);
    if (outcome.kind !== 'sent') return outcome;
    try {
      const parsed = JSON.parse(text) as { validationMessages?: ValidationMessage[] };
      return { kind: 'validated', validationMessages: parsed.validationMessages ?? [] };
    } catch {
      return {
        kind: 'rejected',
        reason: 'HTTP_4XX',
        status: 200,
        message: 'debug endpoint answered without JSON',
      };
    }
  }

  return {
    async send(body) {
      if (options.debug !== true) return (await post(body, false)).outcome;
      const checked = await validate(body);
      if (checked.kind !== 'validated') return checked;
      const first = checked.validationMessages[0];
      if (!first) return { kind: 'sent', status: 200 };
      return {
        kind: 'rejected',
        reason: 'VALIDATION_FAILED',
        status: 200,
        message: `${first.fieldPath}: ${first.description}`,
        validationMessages: checked.validationMessages,
      };
    },
    validate,
    describe(debug = false) {
      return describeEndpoint(options.destination, debug);
    },
    async close() {
      await agent.close();
    },
  };
}

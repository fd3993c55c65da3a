/**
 * The local GA4-compatible collector: build(options) → a fastify app that is not yet listening
 * (tests call `inject` or `listen({ port: 0 })`; the CLI listens on a port).
 *
 * Routes:
 * - `POST /mp/collect`: 204 like GA4, whatever the payload; records the request and its local
 *   validation result.
 * - `POST /debug/mp/collect`: 200 `{"validationMessages":[…]}` from the same validator.
 * - `GET /api/requests`, `GET /api/events`: JSON, filterable by `client_id`, `transaction_id`
 *   and `name`; `GET /api/stats`: the Realtime numbers; `DELETE /api/requests` clears.
 * - `GET /api/transactions`: net revenue of every transaction (purchase, refunded, net per
 *   currency; realtime-stats.ts), filterable by `client_id` and `transaction_id`.
 * - `GET /api/faults`, `PUT /api/faults`: read or replace the fault settings at run time.
 * - `GET /`: the Realtime-like page. `GET /healthz`.
 * Faults (faults.ts) apply to both MP endpoints. The api_secret is never stored or logged.
 * Lifecycle: the caller owns the app; `app.close()` also closes the store (and its file).
 */
import { validateRequestText } from '@pos-ga4/ga4-mp';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { drawFault, FaultSettingsSchema, seededRandom } from './faults.js';
import type { FaultSettings, FaultSettingsInput } from './faults.js';
import { REALTIME_PAGE } from './realtime-page.js';
import { netByTransaction, realtimeStats } from './realtime-stats.js';
import { RequestStore } from './request-store.js';

export interface CollectorOptions {
  readonly faults?: FaultSettingsInput;
  readonly persistTo?: string;
  readonly maxRequests?: number;
  readonly logger?: boolean;
}

export interface Collector {
  readonly app: FastifyInstance;
  readonly store: RequestStore;
  faults(): FaultSettings;
  setFaults(settings: FaultSettingsInput): FaultSettings;
}

interface MpQuery {
  measurement_id?: string;
  firebase_app_id?: string;
  api_secret?: string;
}

interface ListQuery {
  client_id?: string;
  transaction_id?: string;
  name?: string;
  limit?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function buildCollector(options: CollectorOptions = {}): Collector {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 4 * 1024 * 1024,
    forceCloseConnections: true,
  });
  const store = new RequestStore({
    maxRequests: options.maxRequests,
    persistTo: options.persistTo,
  });
  let faults = FaultSettingsSchema.parse(options.faults ?? {});
  let random = seededRandom(faults.seed);

  // Keep the raw text: validation needs it (duplicate names, byte size, JSON errors).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  const collect =
    (endpoint: 'collect' | 'debug') =>
    async (request: FastifyRequest<{ Querystring: MpQuery }>, reply: FastifyReply) => {
      const fault = drawFault(faults, random);
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const text = typeof request.body === 'string' ? request.body : '';
      const validationMessages = validateRequestText(text);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const status =
        fault === 'error'
          ? 503
          : fault === 'rate-limit'
            ? 429
            : fault === 'bad-request'
              ? 400
              : endpoint === 'collect'
                ? 204
                : 200;
      store.add({
        receivedAt: new Date().toISOString(),
        endpoint,
        ...(request.query.measurement_id === undefined
          ? {}
          : { measurementId: request.query.measurement_id }),
        ...(request.query.firebase_app_id === undefined
          ? {}
          : { firebaseAppId: request.query.firebase_app_id }),
        apiSecretPresent:
          typeof request.query.api_secret === 'string' && request.query.api_secret !== '',
        status: fault === 'timeout' || fault === 'reset' ? 0 : status,
        fault,
        bytes: Buffer.byteLength(text),
        body,
        validationMessages,
      });
      if (fault === 'reset') {
        reply.hijack();
        request.raw.socket.destroy();
        return;
      }
      if (fault === 'timeout') {
        reply.hijack();
        await sleep(faults.timeoutHoldMs);
        request.raw.socket.destroy();
        return;
      }
      if (fault === 'error') return reply.code(503).send({ error: 'injected fault' });
      if (fault === 'bad-request') return reply.code(400).send({ error: 'injected bad request' });
      if (fault === 'rate-limit')
        return reply
          .code(429)
          .header('retry-after', String(faults.retryAfterSeconds))
          .send({ error: 'injected rate limit' });
      if (endpoint === 'collect') return reply.code(204).send();
      return reply.code(200).send({ validationMessages });
    };

  app.post('/mp/collect', collect('collect'));
  app.post('/debug/mp/collect', collect('debug'));

  const filterOf = (query: ListQuery) => ({
    clientId: query.client_id,
    transactionId: query.transaction_id,
    name: query.name,
  });
  app.get<{ Querystring: ListQuery }>('/api/requests', (request, reply) =>
    reply.send(store.requests(filterOf(request.query))),
  );
  app.delete('/api/requests', (_request, reply) => {
    store.clear();
    return reply.code(204).send();
  });
  app.get<{ Querystring: ListQuery }>('/api/events', (request, reply) =>
    reply.send(store.events(filterOf(request.query))),
  );
  app.get('/api/stats', (_request, reply) =>
    reply.send(realtimeStats(store.requests(), Date.now())),
  );
  app.get<{ Querystring: ListQuery }>('/api/transactions', (request, reply) =>
    reply.send(
      netByTransaction(store.events()).filter(
        (t) =>
          (request.query.transaction_id === undefined ||
            t.transactionId === request.query.transaction_id) &&
          (request.query.client_id === undefined || t.clientId === request.query.client_id),
      ),
    ),
  );
  app.get('/api/faults', (_request, reply) => reply.send(faults));
  app.put('/api/faults', (request, reply) => {
    const parsed = FaultSettingsSchema.safeParse(
      typeof request.body === 'string' && request.body !== '' ? JSON.parse(request.body) : {},
    );
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    faults = parsed.data;
    random = seededRandom(faults.seed);
    return reply.send(faults);
  });
  app.get('/healthz', (_request, reply) => reply.send({ ok: true }));
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(REALTIME_PAGE));
  app.addHook('onClose', async () => {
    await store.close();
  });

  return {
    app,
    store,
    faults: () => faults,
    setFaults(settings) {
      faults = FaultSettingsSchema.parse(settings);
      random = seededRandom(faults.seed);
      return faults;
    },
  };
}

/** The commented starter worker config written by `npx pos-ga4 config init worker`. */
export const WORKER_TEMPLATE = `# pos-ga4 worker — reference: docs/configuration.md, schema: schemas/worker-config.schema.json
# Every field can be overridden from the environment: POS_GA4_<PATH> with __ between levels,
# e.g. POS_GA4_GA4__API_SECRET. Keep secrets in the environment (worker.env), not in this file.

redis:
  url: redis://127.0.0.1:6379        # rediss:// for TLS; user:password@ for a Redis ACL user
  prefix: pos-ga4                    # BullMQ key prefix, the same on terminals

ga4:
  region: global                     # or eu: region1.google-analytics.com
  measurementId: G-XXXXXXXXXX        # GA4 Admin → Data streams → your web stream
  apiSecret: set-me-via-POS_GA4_GA4__API_SECRET   # Measurement Protocol API secrets → Create
  # baseUrl: http://127.0.0.1:8787   # the local collector (npx pos-ga4 collector) instead of Google
  # debug: true                      # staging: Google's validation server, nothing reaches reports

# properties:                        # more GA4 properties, routed by store
#   us: { region: global, measurementId: G-YYYYYYYYYY, apiSecret: set-me }
# routes: { nyc-05: us }
# unroutedStores: default            # or dead-letter (UNKNOWN_STORE)

mapping:
  prices: net                        # items and value without tax (GA4's advice); or gross
  maxAgeHours: 71                    # GA4 drops events older than 72 h
  tooOld: dead-letter                # or redate (sent now, flagged pos_redated)
  session: per-transaction           # session_id + engagement_time_msec, so events reach reports
  # affiliation: ExampleMart         # item affiliation; default: the store id
  # userProperties: { last_store: storeId }   # user_properties from each receipt: storeId or terminalId

# consent:                           # sent when the customer's identity record has none (it wins per field)
#   default: { adUserData: DENIED, adPersonalization: DENIED }
#   stores: { berlin-01: { adUserData: GRANTED, adPersonalization: GRANTED } }

identity:
  unknown: pseudo-client-id          # no scanned/known customer: a pseudo id per purchase; or dead-letter
  # hmacSecret: set-me-to-32-random-characters  # unmapped loyalty card → one stable client_id (never logged)

refunds:
  maxWaitMs: 3600000                 # a refund waits this long for a purchase nobody has seen…
  unknownPurchase: send              # …then is sent alone (counted) or dead-lettered (REFUND_OF_UNKNOWN)

partitions: 8                        # must equal the terminals'
concurrency: 128                     # GA4 requests in flight per worker process (= sockets)
batch: { maxJobs: 100, windowMs: 200 }
retry: { baseMs: 1000, maxMs: 300000 }
leaseMs: 30000
shutdownTimeoutMs: 10000
log: { level: info }
`;

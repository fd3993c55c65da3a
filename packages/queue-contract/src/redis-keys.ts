/**
 * Every Redis key pos-ga4 writes or reads outside BullMQ's own, spelled once. Terminals, workers
 * and the CLI (status, doctor, dashboard, identities, reconcile) import these; nobody writes a
 * `${prefix}:…` literal. The spellings are deployed data: never change one (a renamed key is a
 * new, empty key; the old one is orphaned). `redis-keys.test.ts` pins each of them.
 *
 * Everything lives under `<prefix>:` (the BullMQ prefix, `DEFAULT_PREFIX` = `pos-ga4`), so one
 * ACL key pattern covers a deployment (`keyspacePattern`, deploy/redis/acl.conf) and a test or
 * scenario removes its keys by prefix. Cluster: a `{…}` hash tag decides a key's slot; keys used
 * together by one command, MULTI or script share a tag.
 *
 * - `<prefix>:<queue>:…` (`bullmqQueueKey`): BullMQ's keys of a queue (`:wait`, `:active`,
 *   `:events`, job hashes…), laid out and expired by BullMQ (job retention: JOB_RETENTION).
 *   Slot: the queue name, `{tx-N}` for partition N. Written by BullMQ (producers, workers).
 * - `<prefix>:meta` (`metaKey`): hash, field `partitions` = the deployment's partition count.
 *   No TTL, no tag. Written once by the first worker (HSETNX); read by workers and producers.
 * - `<prefix>:workers` (`workersKey`): sorted set, member worker id, score last seen (ms). No TTL
 *   (members older than three lease periods are pruned by each announce), no tag. Workers.
 * - `<prefix>:lease:{tx-N}` (`leaseKey`): string, the worker id owning partition N. TTL `leaseMs`
 *   (PX), renewed by its owner. Slot `{tx-N}`. Workers.
 * - `<prefix>:sent:{tx-N}:<transactionId>` (`sentLedgerKey`): string, the sent-ledger entry (JSON
 *   `{requestId, sentAt, clientId?, userId?, ordered?}`). TTL 8 days (EX, the ledger's `ttlDays`).
 *   Slot `{tx-N}` (one partition's lookups are one MGET). Workers.
 * - `<prefix>:fp:{tx-N}:<transactionId>` (`fingerprintKey`): string, the content fingerprint
 *   recorded at hand-over (32 hex). TTL `FINGERPRINT_TTL_SECONDS` (8 days). Slot `{tx-N}`.
 *   Terminals (SET NX GET).
 * - `<prefix>:client:<clientId>` (`clientBarrierKey`): sorted set, the client's order barrier:
 *   member transaction id, score order timestamp (µs). No TTL (members leave when sent or
 *   dead-lettered), no tag: one key per client, every command single-key. Terminals (scanned
 *   clients, at enqueue) and workers (client-barrier.ts).
 * - `<prefix>:identity:<kind>:<value>` (`identityKey`): string, a customer token's identity
 *   record (JSON: client_id, user_id, consent, hashed user data, properties, updatedAt). No TTL,
 *   no tag. Written by `pos-ga4 identities import` (or a CRM sync), read by workers.
 * - `<prefix>:{terminals}` (`heartbeatIndexKey`): sorted set, member `<storeId>:<terminalId>`
 *   (`heartbeatMember`), score last seen (ms). TTL the heartbeat TTL (7 days), refreshed by each
 *   heartbeat. Slot `{terminals}`. Terminals; read by `pos-ga4 status`.
 * - `<prefix>:{terminals}:<storeId>:<terminalId>` (`heartbeatKey`): hash, a terminal's last
 *   heartbeat (fields: apps/terminal/src/heartbeat/heartbeat-record.ts). TTL the heartbeat TTL.
 *   Slot `{terminals}` (one MULTI updates hash and index). Terminals.
 * - `<prefix>:doctor-probe` (`doctorProbeKey`): never written: the key `pos-ga4 doctor` asks
 *   ACL DRYRUN about.
 *
 * `{tx-N}` is partition N's queue name (`partitionHashTag`, `transactionQueueName`): a partition's
 * queue, lease, ledger entries and fingerprints share one slot. Store and terminal ids never
 * contain `:` (EntityId), so a heartbeat member splits unambiguously; client ids are `A.B`
 * (normalizeClientId).
 * Pure.
 */

/** The Redis Cluster hash tag of partition N, `{tx-N}`: also the partition queue's name. */
export function partitionHashTag(partition: number): string {
  return `{tx-${partition}}`;
}

/** `<prefix>:*`: every key of a deployment (ACL key pattern, clean-up by prefix). */
export function keyspacePattern(prefix: string): string {
  return `${prefix}:*`;
}

/** `<prefix>:<queue>`: where BullMQ keeps a queue's keys (`…:wait`, `…:events`, …). */
export function bullmqQueueKey(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}`;
}

/** `<prefix>:meta`: the hash where a deployment records its partition count (`partitions`). */
export function metaKey(prefix: string): string {
  return `${prefix}:meta`;
}

/** `<prefix>:workers`: live workers, score = last seen (ms). */
export function workersKey(prefix: string): string {
  return `${prefix}:workers`;
}

/** `<prefix>:lease:{tx-N}`: the worker id that owns partition N. */
export function leaseKey(prefix: string, partition: number): string {
  return `${prefix}:lease:${partitionHashTag(partition)}`;
}

/** `<prefix>:sent:{tx-N}:<transactionId>`: the sent-ledger entry of a delivered transaction. */
export function sentLedgerKey(prefix: string, partition: number, transactionId: string): string {
  return `${prefix}:sent:${partitionHashTag(partition)}:${transactionId}`;
}

/** `<prefix>:fp:{tx-N}:<transactionId>`: the fingerprint a terminal recorded at hand-over. */
export function fingerprintKey(prefix: string, partition: number, transactionId: string): string {
  return `${prefix}:fp:${partitionHashTag(partition)}:${transactionId}`;
}

/** `<prefix>:client:<clientId>`: the client's order barrier (client-barrier.ts). */
export function clientBarrierKey(prefix: string, clientId: string): string {
  return `${prefix}:client:${clientId}`;
}

/** `<prefix>:identity:<kind>:<value>`: the identity record of a customer token. */
export function identityKey(
  prefix: string,
  token: { readonly kind: string; readonly value: string },
): string {
  return `${prefix}:identity:${token.kind}:${token.value}`;
}

/** `<prefix>:{terminals}`: the index of terminal heartbeats. */
export function heartbeatIndexKey(prefix: string): string {
  return `${prefix}:{terminals}`;
}

/** A terminal's member in the heartbeat index: `<storeId>:<terminalId>`. */
export function heartbeatMember(id: { storeId: string; terminalId: string }): string {
  return `${id.storeId}:${id.terminalId}`;
}

/** The store and terminal of a heartbeat index member (terminal id '' when it has no `:`). */
export function parseHeartbeatMember(member: string): { storeId: string; terminalId: string } {
  const at = member.indexOf(':');
  return at < 0
    ? { storeId: member, terminalId: '' }
    : { storeId: member.slice(0, at), terminalId: member.slice(at + 1) };
}

/** `<prefix>:{terminals}:<member>`: the heartbeat hash of an index member, as it is spelled. */
export function heartbeatKeyOfMember(prefix: string, member: string): string {
  return `${heartbeatIndexKey(prefix)}:${member}`;
}

/** `<prefix>:{terminals}:<storeId>:<terminalId>`: a terminal's heartbeat hash. */
export function heartbeatKey(prefix: string, id: { storeId: string; terminalId: string }): string {
  return heartbeatKeyOfMember(prefix, heartbeatMember(id));
}

/** `<prefix>:doctor-probe`: never written; `pos-ga4 doctor` asks ACL DRYRUN about it. */
export function doctorProbeKey(prefix: string): string {
  return `${prefix}:doctor-probe`;
}

/**
 * The spelling of every Redis key (redis-keys.ts). These are deployed data: a failure here means
 * a key was renamed, and a deployment upgraded to it would lose what the old key holds (leases,
 * sent-ledger, fingerprints, barriers, identities, heartbeats). Written out literally on purpose.
 */
import { describe, expect, it } from 'vitest';

import {
  bullmqQueueKey,
  clientBarrierKey,
  doctorProbeKey,
  fingerprintKey,
  heartbeatIndexKey,
  heartbeatKey,
  heartbeatKeyOfMember,
  heartbeatMember,
  identityKey,
  keyspacePattern,
  leaseKey,
  metaKey,
  parseHeartbeatMember,
  partitionHashTag,
  QUEUE_NAMES,
  sentLedgerKey,
  transactionQueueName,
  workersKey,
} from './index.js';

const ID = 'berlin-01_till-1_20261126_0001';
const TILL = { storeId: 'berlin-01', terminalId: 'till-1' };

describe('Redis keys keep their deployed spelling', () => {
  it.each([
    ['partition hash tag', partitionHashTag(3), '{tx-3}'],
    ['partition queue name', transactionQueueName(3), '{tx-3}'],
    ['keyspace pattern', keyspacePattern('pos-ga4'), 'pos-ga4:*'],
    ['BullMQ queue keys', bullmqQueueKey('pos-ga4', transactionQueueName(3)), 'pos-ga4:{tx-3}'],
    [
      'dead-letter queue keys',
      bullmqQueueKey('pos-ga4', QUEUE_NAMES.deadLetter),
      'pos-ga4:dead-letter',
    ],
    ['meta', metaKey('pos-ga4'), 'pos-ga4:meta'],
    ['workers', workersKey('pos-ga4'), 'pos-ga4:workers'],
    ['lease', leaseKey('pos-ga4', 3), 'pos-ga4:lease:{tx-3}'],
    ['sent-ledger', sentLedgerKey('pos-ga4', 3, ID), `pos-ga4:sent:{tx-3}:${ID}`],
    ['fingerprint', fingerprintKey('pos-ga4', 3, ID), `pos-ga4:fp:{tx-3}:${ID}`],
    [
      'client barrier',
      clientBarrierKey('pos-ga4', '1234567890.1700000000'),
      'pos-ga4:client:1234567890.1700000000',
    ],
    [
      'identity record',
      identityKey('pos-ga4', { kind: 'loyalty-card', value: 'LOY-1' }),
      'pos-ga4:identity:loyalty-card:LOY-1',
    ],
    ['heartbeat index', heartbeatIndexKey('pos-ga4'), 'pos-ga4:{terminals}'],
    ['heartbeat hash', heartbeatKey('pos-ga4', TILL), 'pos-ga4:{terminals}:berlin-01:till-1'],
    [
      'heartbeat hash of a member',
      heartbeatKeyOfMember('pos-ga4', 'berlin-01:till-1'),
      'pos-ga4:{terminals}:berlin-01:till-1',
    ],
    ['doctor probe', doctorProbeKey('pos-ga4'), 'pos-ga4:doctor-probe'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('put the prefix first as given, hash tags included', () => {
    expect(metaKey('{shop}')).toBe('{shop}:meta');
    expect(leaseKey('a:b', 0)).toBe('a:b:lease:{tx-0}');
  });

  it('spell a heartbeat index member as store:terminal and read it back', () => {
    expect(heartbeatMember(TILL)).toBe('berlin-01:till-1');
    expect(parseHeartbeatMember('berlin-01:till-1')).toEqual(TILL);
    expect(parseHeartbeatMember('solo')).toEqual({ storeId: 'solo', terminalId: '' });
  });
});

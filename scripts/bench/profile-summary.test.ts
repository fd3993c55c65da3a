import { describe, expect, it } from 'vitest';

import { groupOf, summarize } from './profile-summary.js';

describe('groupOf', () => {
  it.each([
    ['../../node_modules/bullmq/dist/esm/classes/job.js', 'bullmq'],
    ['../../node_modules/@ioredis/commands/built/index.js', '@ioredis/commands'],
    ['../../apps/worker/src/schedule/core/admission.ts', 'apps/worker/schedule'],
    ['../../apps/cli/src/main.ts', 'apps/cli'],
    ['../../packages/ga4-mp/src/map-transaction.ts', 'packages/ga4-mp/map-transaction'],
    ['node (internals)', 'node (internals)'],
    ['(garbage collector)', '(garbage collector)'],
  ])('%s → %s', (source, group) => {
    expect(groupOf(source)).toBe(group);
  });
});

describe('summarize', () => {
  it('adds each sample’s time to its node’s group and keeps idle time apart', () => {
    const frame = (url: string, functionName = 'f') => ({
      functionName,
      url,
      lineNumber: 0,
      columnNumber: 0,
    });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('', 'idle') },
        { id: 2, callFrame: frame('node_modules/zod/v4/core/parse.js') },
        { id: 3, callFrame: frame('node_modules/zod/v4/core/schemas.js') },
        { id: 4, callFrame: frame('node_modules/bullmq/dist/job.js') },
      ],
      samples: [1, 2, 3, 4, 2],
      timeDeltas: [5000, 1000, 2000, 3000, 500],
    };
    const summary = summarize(profile, { resolve: (node) => node.callFrame.url || '(idle)' });
    expect(summary).toEqual({
      totalMs: 6.5,
      idleMs: 5,
      groups: [
        { group: 'zod', ms: 3.5 },
        { group: 'bullmq', ms: 3 },
      ],
    });
  });
});

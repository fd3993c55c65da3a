import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '@pos-ga4/config';
import { TerminalConfigSchema } from '@pos-ga4/terminal';
import { WorkerConfigSchema } from '@pos-ga4/worker';
import { describe, expect, it } from 'vitest';

import { TERMINAL_TEMPLATE } from './terminal-template.js';
import { WORKER_TEMPLATE } from './worker-template.js';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'templates-')), name);
  writeFileSync(path, text);
  return path;
}

describe('config init templates', () => {
  it('the worker starter is a valid worker config', () => {
    const config = loadConfig({
      schema: WorkerConfigSchema,
      file: file('worker.yaml', WORKER_TEMPLATE),
      env: {},
    });
    expect(config).toMatchObject({
      partitions: 8,
      ga4: { region: 'global' },
      mapping: { tooOld: 'dead-letter' },
    });
  });

  it('the terminal starter is a valid terminal config', () => {
    const config = loadConfig({
      schema: TerminalConfigSchema,
      file: file('terminal.yaml', TERMINAL_TEMPLATE),
      env: {},
    });
    expect(config.sources).toEqual([
      expect.objectContaining({ type: 'serial', format: 'escpos', path: '/dev/ttyUSB0' }),
    ]);
  });

  it('documents every top-level worker field it sets', () => {
    for (const key of ['redis', 'ga4', 'mapping', 'identity', 'partitions', 'concurrency'])
      expect(WORKER_TEMPLATE).toContain(`${key}:`);
  });
});

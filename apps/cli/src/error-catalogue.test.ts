import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { allCodes } from './error-catalogue.js';

describe('docs/errors.md', () => {
  it('lists exactly the codes the code can report, each once', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1] ?? '');
    expect([...documented].sort()).toEqual([...new Set(allCodes())].sort());
    expect(new Set(documented).size).toBe(documented.length);
  });
});

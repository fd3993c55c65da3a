/** repo-paths: the workspace root is found from the sources and from the bundle's chunks. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { findRepoRoot, repoRoot, schemasDir } from './repo-paths.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fake checkout: <tmp>/package.json named `name`, with dist/chunks/ and apps/cli/src/ below. */
function checkout(name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'repo-paths-'));
  dirs.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name }));
  for (const sub of ['dist/chunks', 'apps/cli/src'])
    mkdirSync(join(root, sub), { recursive: true });
  // a workspace package's own package.json on the way up must not stop the walk
  writeFileSync(
    join(root, 'apps', 'cli', 'package.json'),
    JSON.stringify({ name: '@pos-ga4/cli' }),
  );
  return root;
}

describe('repo paths', () => {
  it('finds the workspace root from the sources and from a bundle chunk', () => {
    const root = checkout('pos-ga4');
    expect(findRepoRoot(join(root, 'apps', 'cli', 'src'))).toBe(root);
    expect(findRepoRoot(join(root, 'dist', 'chunks'))).toBe(root);
    expect(findRepoRoot(join(root, 'dist'))).toBe(root);
  });

  it('finds nothing outside a pos-ga4 checkout', () => {
    expect(findRepoRoot(join(checkout('something-else'), 'dist', 'chunks'))).toBeUndefined();
  });

  it('resolves this checkout, whose schemas/ holds the committed schemas', () => {
    expect(schemasDir()).toBe(join(repoRoot(), 'schemas'));
    expect(findRepoRoot(repoRoot())).toBe(repoRoot());
  });
});

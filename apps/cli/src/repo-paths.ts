/**
 * Paths inside the pos-ga4 checkout (fixtures/, schemas/), wherever it is cloned. The root is
 * found by walking up from this module to the first directory whose package.json is the
 * workspace root (`"name": "pos-ga4"`), so it works both from the sources (apps/cli/src/, under
 * tsx) and from the production bundle (dist/pos-ga4.js and dist/chunks/, where this module's
 * `import.meta.url` is a chunk's: docs/decisions/0004-production-bundle.md).
 * Errors: `repoRoot()` (and the helpers) throw when no such directory is above this module
 * (a bundle copied out of its checkout). The result is computed once.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT_PACKAGE_NAME = 'pos-ga4';

function isRepoRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === ROOT_PACKAGE_NAME;
  } catch {
    return false; // no package.json there, or not JSON
  }
}

/** The first directory at or above `start` that is the pos-ga4 workspace root. */
export function findRepoRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isRepoRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

let cachedRoot: string | undefined;

export function repoRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  const here = dirname(fileURLToPath(import.meta.url));
  const found = findRepoRoot(here);
  if (found === undefined)
    throw new Error(
      `no pos-ga4 checkout above ${here} (a package.json with "name": "${ROOT_PACKAGE_NAME}")`,
    );
  cachedRoot = found;
  return found;
}

export const fixtureReceiptsDir = (): string => join(repoRoot(), 'fixtures', 'receipts');
export const schemasDir = (): string => join(repoRoot(), 'schemas');

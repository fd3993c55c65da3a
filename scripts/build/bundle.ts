/**
 * The production bundle of the `pos-ga4` CLI (docs/decisions/0004-production-bundle.md).
 * `buildBundle({ outdir })` runs esbuild on a virtual entry that does what apps/cli/bin/pos-ga4.js
 * does without tsx (`process.exitCode = await main(process.argv)`): ESM for Node 20, every
 * workspace package (`@pos-ga4/*`, relative imports) bundled, every third-party package left
 * external (resolved at run time from the checkout's node_modules), code splitting so each
 * command's modules are a chunk of their own that main.ts loads only for that command. Output:
 * `<outdir>/pos-ga4.js` (executable, with a `#!/usr/bin/env node` line), `<outdir>/chunks/*.js`,
 * and a linked source map per file (read only under `node --enable-source-maps`).
 * The bundle must stay inside the checkout: bare imports resolve from `<root>/node_modules`, and
 * apps/cli/src/repo-paths.ts finds fixtures/ and schemas/ by walking up to the root.
 * Errors: rejects when esbuild fails (its messages are printed at `logLevel`), when `outdir` is
 * not inside the checkout, or when it holds files but no previous bundle (it is emptied first).
 * Lifecycle: `outdir` is removed and recreated on every build, so no stale chunk survives.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import type { LogLevel, Plugin } from 'esbuild';

/** The repository root (this file is scripts/build/bundle.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_OUTDIR = join(REPO_ROOT, 'dist');
/** The bundle's entry file name inside `outdir`. */
export const BUNDLE_ENTRY_NAME = 'pos-ga4.js';
/**
 * Node flags of the terminal daemon as deployed (deploy/systemd/pos-ga4-terminal.service): a 1 MB
 * young-generation semi-space. A terminal handles a receipt every few seconds, so scavenges stay
 * cheap and rare while the resident set shrinks (ADR 0004 has the numbers).
 */
/**
 * The terminal unit's environment beyond the config: at most two glibc malloc arenas (the default
 * is up to 8 per core, each keeping freed memory; ~3–5 MB less RSS measured on the daemon).
 */
export const TERMINAL_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

export const TERMINAL_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--optimize-for-size',
];

const ENTRY_NAMESPACE = 'pos-ga4-entry';
const ENTRY_SPECIFIER = 'pos-ga4:entry';
/** What apps/cli/bin/pos-ga4.js does, minus tsx. */
const ENTRY_SOURCE = [
  '#!/usr/bin/env node',
  "import { main } from './apps/cli/src/main.ts';",
  'process.exitCode = await main(process.argv);',
  '',
].join('\n');

export interface BundleOptions {
  /** Default: `<root>/dist`. Removed and recreated. */
  readonly outdir?: string;
  /** esbuild's log level; default `warning`. */
  readonly logLevel?: LogLevel;
}

export interface BundleResult {
  /** Absolute path of `<outdir>/pos-ga4.js`. */
  readonly entry: string;
  /** Written JavaScript files (entry and chunks), relative to `outdir`. */
  readonly files: readonly string[];
  /** Bundled source files, relative to the repository root (workspace sources only). */
  readonly inputs: readonly string[];
  /** Bare imports left to Node at run time (third-party packages and `node:` built-ins). */
  readonly externals: readonly string[];
}

/** The virtual entry module; its relative import resolves from the repository root. */
const entryPlugin: Plugin = {
  name: 'pos-ga4-entry',
  setup(b) {
    b.onResolve({ filter: /^pos-ga4:entry$/ }, (args) => ({
      path: args.path,
      namespace: ENTRY_NAMESPACE,
    }));
    b.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, () => ({
      contents: ENTRY_SOURCE,
      loader: 'ts',
      resolveDir: REPO_ROOT,
    }));
  },
};

/** Bare imports other than `@pos-ga4/*` stay imports: Node loads them from node_modules. */
const externalsPlugin: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('@pos-ga4/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Inside the checkout (so node_modules resolves), and empty or a previous build: it is emptied. */
function assertUsableOutdir(outdir: string): void {
  const inside = relative(REPO_ROOT, outdir);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`${outdir} is not inside the checkout ${REPO_ROOT}`);
  const existing = existsSync(outdir) ? readdirSync(outdir) : [];
  if (existing.length > 0 && !existing.includes(BUNDLE_ENTRY_NAME))
    throw new Error(
      `refusing to empty ${outdir}: it holds files but no previous ${BUNDLE_ENTRY_NAME}`,
    );
}

export async function buildBundle(options: BundleOptions = {}): Promise<BundleResult> {
  const outdir = resolve(options.outdir ?? DEFAULT_OUTDIR);
  assertUsableOutdir(outdir);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { 'pos-ga4': ENTRY_SPECIFIER },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outdir,
    sourcemap: 'linked',
    metafile: true,
    logLevel: options.logLevel ?? 'warning',
    plugins: [entryPlugin, externalsPlugin],
  });
  const entry = join(outdir, BUNDLE_ENTRY_NAME);
  chmodSync(entry, 0o755);
  const outputs = result.metafile.outputs;
  const files = Object.keys(outputs)
    .filter((file) => file.endsWith('.js'))
    .map((file) => relative(outdir, resolve(REPO_ROOT, file)))
    .sort();
  const externals = new Set<string>();
  for (const output of Object.values(outputs))
    for (const imported of output.imports) if (imported.external) externals.add(imported.path);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.startsWith(`${ENTRY_NAMESPACE}:`))
    .sort();
  return { entry, files, inputs, externals: [...externals].sort() };
}

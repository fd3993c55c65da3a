/**
 * Where a worker's CPU went: reads a V8 CPU profile (`npm run bench -- --cpu-prof DIR` writes
 * one per latency, with the bundle's source map next to it) and prints self time by source —
 * each package under node_modules, each pos-ga4 folder (apps/<app>/src/<stage>, packages/<pkg>),
 * Node's own code, the garbage collector — in ms and, with `--transactions N`, in ms per
 * transaction. Bundle positions are mapped back to sources with `node:module`'s SourceMap.
 *
 *   npx tsx scripts/bench/profile-summary.ts DIR/worker-0ms.cpuprofile --transactions 20000
 *
 * Output: a table on stdout (`--json`: one object). Errors: an unreadable profile throws.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import type { SourceMapPayload } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/**
 * The source a position came from: bundle positions through the source map (`mapFile`, else the
 * `.map` next to the script), other URLs as they are.
 */
export function sourceResolver(mapFile?: string): (node: ProfileNode) => string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string): SourceMap | undefined => {
    if (maps.has(url)) return maps.get(url);
    const file = url.startsWith('file://') ? fileURLToPath(url) : url;
    const found = [mapFile, `${file}.map`].find((path) => path !== undefined && existsSync(path));
    const map =
      found === undefined
        ? undefined
        : new SourceMap(JSON.parse(readFileSync(found, 'utf8')) as SourceMapPayload);
    maps.set(url, map);
    return map;
  };
  return (node) => {
    const { url, lineNumber, columnNumber, functionName } = node.callFrame;
    // V8's own nodes are named `(idle)`, `(garbage collector)`, `(program)`, `(root)`
    if (url === '') return functionName.startsWith('(') ? functionName : `(native ${functionName})`;
    if (url.startsWith('node:')) return 'node (internals)';
    const original = mapOf(url)?.findEntry(lineNumber, columnNumber);
    return original && 'originalSource' in original ? original.originalSource : url;
  };
}

/** A source path → the group it is counted in. */
export function groupOf(source: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (modules?.[1] !== undefined) return modules[1];
  const app = /apps\/([^/]+)\/src\/([^/]+)\//.exec(source);
  if (app?.[1] !== undefined && app[2] !== undefined) return `apps/${app[1]}/${app[2]}`;
  const appFile = /apps\/([^/]+)\/src\//.exec(source);
  if (appFile?.[1] !== undefined) return `apps/${appFile[1]}`;
  const pkg = /packages\/([^/]+)\/src\/([^/.]+)/.exec(source);
  if (pkg?.[1] !== undefined && pkg[2] !== undefined) return `packages/${pkg[1]}/${pkg[2]}`;
  return source;
}

export function summarize(
  profile: CpuProfile,
  options: { readonly resolve: (node: ProfileNode) => string },
): { totalMs: number; idleMs: number; groups: { group: string; ms: number }[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const groupById = new Map<number, string>();
  const ms = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, index) => {
    const delta = (profile.timeDeltas[index] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    let group = groupById.get(id);
    if (group === undefined) {
      group = groupOf(options.resolve(node));
      groupById.set(id, group);
    }
    if (group === '(idle)') {
      idleMs += delta;
      return;
    }
    totalMs += delta;
    ms.set(group, (ms.get(group) ?? 0) + delta);
  });
  const groups = [...ms]
    .map(([group, value]) => ({ group, ms: value }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs, idleMs, groups };
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined || file.startsWith('--'))
    throw new Error(
      'usage: profile-summary.ts FILE.cpuprofile [--transactions N] [--map FILE] [--json]',
    );
  const at = process.argv.indexOf('--transactions');
  const transactions = at >= 0 ? Number(process.argv[at + 1]) : undefined;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const given = process.argv.indexOf('--map');
  // the bench copies the bundle's map next to the profile
  const mapFile = given >= 0 ? process.argv[given + 1] : join(dirname(file), 'pos-ga4.js.map');
  const summary = summarize(profile, { resolve: sourceResolver(mapFile) });
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ ...summary, transactions })}\n`);
    return;
  }
  const perTx = (value: number): string =>
    transactions === undefined ? '' : `  ${((value / transactions) * 1000).toFixed(1)} µs/tx`;
  process.stdout.write(
    `busy ${summary.totalMs.toFixed(0)} ms${perTx(summary.totalMs)}; idle ${summary.idleMs.toFixed(0)} ms\n`,
  );
  for (const { group, ms } of summary.groups.slice(0, 40))
    process.stdout.write(
      `${group.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms ${((ms / summary.totalMs) * 100).toFixed(1).padStart(5)} %${perTx(ms)}\n`,
    );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();

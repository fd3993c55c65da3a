/**
 * `npm run build [-- --outdir DIR]`: the production bundle of the `pos-ga4` CLI into `dist/` (or
 * DIR, which must lie inside the checkout so node_modules resolves), see bundle.ts and
 * docs/decisions/0004-production-bundle.md. Run it with `node dist/pos-ga4.js <command>`; the
 * terminal as deployed: `node --max-semi-space-size=1 --optimize-for-size dist/pos-ga4.js terminal --config …`.
 * Prints one summary line (files, bundled sources, externals) on stdout.
 * Errors: exit code 1 with esbuild's messages on stderr when the build fails; 2 on bad arguments.
 */
import { buildBundle } from './bundle.js';

function outdirArgument(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--outdir');
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('-')) throw new Error('--outdir needs a directory');
  return value;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

let outdir: string | undefined;
try {
  outdir = outdirArgument(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`build: ${messageOf(error)}\n`);
  process.exit(2);
}
try {
  const started = performance.now();
  const result = await buildBundle(outdir === undefined ? {} : { outdir });
  const ms = Math.round(performance.now() - started);
  const thirdParty = result.externals.filter((path) => !path.startsWith('node:')).length;
  process.stdout.write(
    `built ${result.entry} (+${result.files.length - 1} chunks) in ${ms} ms: ` +
      `${result.inputs.length} workspace sources bundled, ${thirdParty} third-party imports external\n`,
  );
} catch (error) {
  process.stderr.write(`build failed: ${messageOf(error)}\n`);
  process.exitCode = 1;
}

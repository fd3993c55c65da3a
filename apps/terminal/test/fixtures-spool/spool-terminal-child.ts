/**
 * A terminal process for the kill -9 test: opens the spool in `dir`, then submits transactions
 * from…total of terminal s1/t1 (`from` is where its input source says to resume; it may lag
 * behind what was already spooled, as a capture checkpoint would, and re-adding is a no-op),
 * `batch` per enqueue, and waits until the spool is drained.
 * Input: one JSON argument { redisUrl, prefix, dir, from, total, batch, compactMinBytes }.
 * Output (stdout lines): `ready <depth at open>`, `spooled <n>` after each enqueue, `done`.
 * Exit code 0 once drained; 1 on any error (message on stderr).
 */
import { numberedTransactions } from './numbered-transactions.js';
import { openSpooledTerminal } from './spool-harness.js';

interface ChildArgs {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly dir: string;
  readonly from: number;
  readonly total: number;
  readonly batch: number;
  readonly compactMinBytes: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const terminal = await openSpooledTerminal({
  redisUrl: args.redisUrl,
  prefix: args.prefix,
  spool: { dir: args.dir, compactMinBytes: args.compactMinBytes },
  sink: { batchSize: 50 },
});
try {
  process.stdout.write(`ready ${terminal.spool.level().depth}\n`);
  for (let n = args.from; n <= args.total; n += args.batch) {
    const count = Math.min(args.batch, args.total - n + 1);
    await terminal.sink.enqueue(numberedTransactions(n, count));
    process.stdout.write(`spooled ${n + count - 1}\n`);
  }
  await terminal.sink.flush({ timeoutMs: 20_000 });
  process.stdout.write('done\n');
} catch (error) {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  await terminal.close();
}

/**
 * Progress for long operator commands (replay, redrive, identity import): a cli-progress bar on
 * a terminal, plain lines (every 10 % and at the end) when stderr is not a TTY, so logs and CI
 * stay readable. Always on stderr: stdout carries data.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function createProgress(options: {
  label: string;
  total: number;
  stream?: NodeJS.WriteStream;
}): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${options.label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
        stream,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.total, 0);
    return {
      update: (done) => {
        bar.update(done);
      },
      stop: () => {
        bar.stop();
      },
    };
  }
  let nextReport = 0.1;
  let last = 0;
  return {
    update(done) {
      last = done;
      const fraction = options.total === 0 ? 1 : done / options.total;
      if (fraction >= nextReport && done < options.total) {
        stream.write(`${options.label}: ${done}/${options.total}\n`);
        while (fraction >= nextReport) nextReport += 0.1;
      }
    },
    stop() {
      stream.write(`${options.label}: ${last}/${options.total} done\n`);
    },
  };
}

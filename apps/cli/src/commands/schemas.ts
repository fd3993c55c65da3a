import { Command } from '@commander-js/extra-typings';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { schemasDir } from '../repo-paths.js';
import { generatedSchemas } from '../schemas-files.js';

export function schemasCommand(setExitCode: (code: number) => void) {
  const write = new Command('write')
    .description('Regenerate schemas/*.json from the zod schemas')
    .action(() => {
      const dir = schemasDir();
      mkdirSync(dir, { recursive: true });
      for (const [name, text] of Object.entries(generatedSchemas()))
        writeFileSync(join(dir, name), text);
      process.stdout.write(`wrote ${Object.keys(generatedSchemas()).join(', ')} to ${dir}\n`);
    });
  const check = new Command('check')
    .description('Fail when a committed schema differs from the generated one')
    .action(() => {
      const dir = schemasDir();
      const stale = Object.entries(generatedSchemas()).filter(([name, text]) => {
        try {
          return readFileSync(join(dir, name), 'utf8') !== text;
        } catch {
          return true;
        }
      });
      for (const [name] of stale)
        process.stderr.write(`schemas/${name} is out of date: run npx pos-ga4 schemas write\n`);
      setExitCode(stale.length === 0 ? 0 : 1);
    });
  return new Command('schemas')
    .description('JSON Schemas for POS vendors and config files (published under schemas/)')
    .addCommand(write)
    .addCommand(check);
}

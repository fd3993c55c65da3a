import { Command } from '@commander-js/extra-typings';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SCHEMAS_DIR } from '../repo-paths.js';
import { generatedSchemas } from '../schemas-files.js';

export function schemasCommand(setExitCode: (code: number) => void) {
  const write = new Command('write')
    .description('Regenerate schemas/*.json from the zod schemas')
    .action(() => {
      mkdirSync(SCHEMAS_DIR, { recursive: true });
      for (const [name, text] of Object.entries(generatedSchemas()))
        writeFileSync(join(SCHEMAS_DIR, name), text);
      process.stdout.write(
        `wrote ${Object.keys(generatedSchemas()).join(', ')} to ${SCHEMAS_DIR}\n`,
      );
    });
  const check = new Command('check')
    .description('Fail when a committed schema differs from the generated one')
    .action(() => {
      const stale = Object.entries(generatedSchemas()).filter(([name, text]) => {
        try {
          return readFileSync(join(SCHEMAS_DIR, name), 'utf8') !== text;
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

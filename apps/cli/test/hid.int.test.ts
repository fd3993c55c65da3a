/**
 * `pos-ga4 hid`: the command factory run in-process (stdout/stderr captured), plus one real
 * subprocess reading standard input. The third-party captures in fixtures/hid/hid-scanner must
 * decode to exactly the strings of their README.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { CommanderError } from '@commander-js/extra-typings';
import { captureOutput } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

import { hidCommand } from '../src/commands/hid.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CAPTURES = join(ROOT, 'fixtures', 'hid', 'hid-scanner');
const HID_MODULE = pathToFileURL(join(ROOT, 'apps', 'cli', 'src', 'commands', 'hid.ts')).href;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function hid(args: readonly string[]): Promise<Run> {
  let code = 0;
  const command = hidCommand((c) => {
    code = Math.max(code, c);
  });
  command.exitOverride();
  for (const sub of command.commands) sub.exitOverride();
  const captured = await captureOutput(async () => {
    try {
      await command.parseAsync(['node', 'hid', ...args]);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      code = error.exitCode;
    }
  });
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A 64-byte HID POS report: id 2, length, AIM id, data, flags. */
function posReport(data: string, symbology: string): string {
  const report = Buffer.alloc(64);
  report[0] = 0x02;
  report[1] = data.length;
  report.write(symbology, 2, 'latin1');
  report.write(data, 5, 'latin1');
  return report.toString('hex');
}

describe('pos-ga4 hid decode', () => {
  it('decodes the three third-party captures to exactly the expected strings', async () => {
    const expected = [
      ['1.hex.txt', 'https://mnzn.net/sod.ac/d/SD01234567', 'url'],
      ['2.hex.txt', 'https://github.com/imyelo?tab=overview&from=2018-12-01&to=2018-12-31', 'url'],
      [
        '3.hex.txt',
        '1234567890-=\\`qwertyuiop[]asdfghjkl;\'zxcvbnm,./ \t!@#$%^&*()_+|~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?',
        'unknown',
      ],
    ] as const;
    for (const [file, data, kind] of expected) {
      const run = await hid(['decode', join(CAPTURES, file)]);
      expect(run.code).toBe(0);
      expect(jsonLines(run.stdout)).toEqual([{ data, kind, terminator: 'enter' }]);
    }
  });

  it('splits at Tab with --terminators enter,tab, and uses the chosen layout', async () => {
    const run = await hid(['decode', '--terminators', 'enter,tab', join(CAPTURES, '3.hex.txt')]);
    expect(jsonLines(run.stdout).map((line) => [line['data'], line['terminator']])).toEqual([
      ["1234567890-=\\`qwertyuiop[]asdfghjkl;'zxcvbnm,./ ", 'tab'],
      ['!@#$%^&*()_+|~QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>?', 'enter'],
    ]);
    // on a German layout the same key codes type other characters (y/z swapped)
    const de = await hid(['decode', '--layout', 'de', join(CAPTURES, '3.hex.txt')]);
    const german = String(jsonLines(de.stdout)[0]?.['data']);
    expect(german).toContain('qwertzuiop');
    expect(german).toContain('QWERTZUIOP');
  });

  it('decodes HID POS reports with their symbology; --verbose adds classification and raw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-ga4-hid-'));
    const file = join(dir, 'pos.hex.txt');
    const reports = [
      posReport('4006381333931', ']E0'),
      posReport('GA1.1.1197596843.1732615200', ']Q1'),
    ];
    writeFileSync(file, `# two scans\n${reports.join('\n')}\n`);
    try {
      const run = await hid(['decode', '--mode', 'pos', file]);
      expect(jsonLines(run.stdout)).toEqual([
        { data: '4006381333931', kind: 'gtin', symbology: ']E0' },
        { data: 'GA1.1.1197596843.1732615200', kind: 'ga-client-id', symbology: ']Q1' },
      ]);
      const verbose = await hid(['decode', '--mode', 'pos', '--verbose', file]);
      expect(jsonLines(verbose.stdout)[0]).toMatchObject({
        classification: { kind: 'gtin', gtin: '4006381333931', valid: true },
        raw: [reports[0]],
        warnings: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports unreadable input and invalid options with exit code 2', async () => {
    const bad = await hid(['decode', join(CAPTURES, 'README.md')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hid decode: line \d+: expected an even number of hex digits/);
    const missing = await hid(['decode', join(CAPTURES, 'nope.hex.txt')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/ENOENT/)]);
    const terminators = await hid(['decode', '--terminators', 'enter,space', 'x']);
    expect(terminators.code).toBe(2);
    expect(terminators.stderr).toMatch(/--terminators/);
    const layout = await hid(['decode', '--layout', 'fr', 'x']);
    expect(layout.code).toBe(1);
    expect(layout.stderr).toMatch(/Allowed choices are us, de/);
  });

  it('reads standard input for - (real subprocess)', async () => {
    const script = `const { hidCommand } = await import(${JSON.stringify(HID_MODULE)});
let code = 0;
await hidCommand((c) => { code = Math.max(code, c); }).parseAsync(['node', 'hid', 'decode', '-']);
process.exitCode = code;`;
    const input = readFileSync(join(CAPTURES, '1.hex.txt'), 'utf8');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: ROOT, timeout: 60_000 },
        (error, stdout) => {
          resolve({ code: error === null ? 0 : (error.code as number | null), stdout });
        },
      );
      child.stdin?.end(input);
    });
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout)).toEqual([
      { data: 'https://mnzn.net/sod.ac/d/SD01234567', kind: 'url', terminator: 'enter' },
    ]);
  });
});

describe('pos-ga4 hid list', () => {
  it('lists devices or explains why not, never crashes', async () => {
    for (const args of [['list'], ['list', '--json']]) {
      const run = await hid(args);
      const listed =
        run.code === 0 &&
        (run.stdout !== '' || /no HID interfaces visible/.test(run.stderr)) &&
        (!args.includes('--json') || jsonLines(run.stdout).every((line) => 'vendorId' in line));
      const explained = run.code === 2 && /^hid list: .*(libudev|libusb|binding)/.test(run.stderr);
      expect({ ...run, answered: listed || explained }).toMatchObject({ answered: true });
    }
  });
});

describe('pos-ga4 hid --help', () => {
  it('has examples on every subcommand', async () => {
    for (const sub of ['decode', 'list']) {
      const run = await hid([sub, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Usage: hid [\s\S]*Examples:/);
    }
  });
});

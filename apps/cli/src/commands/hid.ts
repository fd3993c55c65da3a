/**
 * `pos-ga4 hid`: HID barcode scanner tools.
 *
 * - `hid decode [FILE|-]`: captured input reports (one hex report per line, `#` comments allowed,
 *   the format of fixtures/hid/) → one JSON object per completed scan on stdout:
 *   `{ data, kind, symbology?, terminator? }` (`data` without the terminator; `kind` the
 *   classification kind; with `--verbose` also `classification`, `raw` and `warnings`, and stray
 *   decoder warnings as `{ "warning": … }` lines on stderr). A capture has no timing, so reports
 *   are fed 1 ms apart: keyboard scans end at a terminator or at the end of the input.
 *   Exit 0; 2 for unreadable input or invalid options.
 * - `hid list`: the HID interfaces node-hid sees (vendor:product, usage page:usage, path, name),
 *   or `--json` lines of `HidDeviceInfo`. node-hid is loaded only here; when it cannot be loaded
 *   (missing libudev/libusb) the command says so on stderr and exits 2, it never crashes.
 * Lifecycle: each factory builds a fresh commander command; `setExitCode` collects the result.
 */
import { Command, Option } from '@commander-js/extra-typings';
import {
  classifyBarcode,
  describeHidDevice,
  KEYBOARD_LAYOUT_NAMES,
  keyboardLayoutByName,
  nodeHidProvider,
  parseHexReports,
  ScanReportDecoder,
} from '@pos-ga4/terminal';
import type { DecodedScan, TerminatorKey } from '@pos-ga4/terminal';

import { readInput } from '../read-input.js';

const TERMINATOR_KEYS: readonly string[] = ['enter', 'tab'] satisfies TerminatorKey[];

function isTerminatorKey(key: string): key is TerminatorKey {
  return TERMINATOR_KEYS.includes(key);
}

function parseTerminators(list: string): TerminatorKey[] | undefined {
  const keys = list
    .split(',')
    .map((key) => key.trim().toLowerCase())
    .filter((key) => key !== '');
  return keys.every(isTerminatorKey) ? keys : undefined;
}

function parseByte(text: string): number | undefined {
  const value = /^0x[0-9a-f]{1,2}$/i.test(text) ? Number.parseInt(text, 16) : Number(text);
  return Number.isInteger(value) && value >= 0 && value <= 255 ? value : undefined;
}

function scanLine(scan: DecodedScan, verbose: boolean): string {
  const classification = classifyBarcode(
    scan.data,
    scan.symbology === undefined ? {} : { symbology: scan.symbology },
  );
  const symbology = classification.symbology ?? scan.symbology;
  const line = {
    data: scan.data,
    kind: classification.kind,
    ...(symbology === undefined ? {} : { symbology }),
    ...(scan.terminator === undefined ? {} : { terminator: scan.terminator }),
    ...(verbose ? { classification, raw: scan.raw, warnings: scan.warnings } : {}),
  };
  return `${JSON.stringify(line)}\n`;
}

function decodeCommand(setExitCode: (code: number) => void) {
  return new Command('decode')
    .description(
      'Decode captured HID reports (one hex report per line) into scans: one JSON object per scan',
    )
    .argument('[file]', 'hex reports, one per line; - or none for stdin')
    .addOption(
      new Option('--mode <mode>', 'the scanner USB mode')
        .choices(['keyboard', 'pos'] as const)
        .default('keyboard' as const),
    )
    .addOption(
      new Option('--layout <layout>', 'keyboard mode: the layout the scanner types with')
        .choices(KEYBOARD_LAYOUT_NAMES)
        .default('us' as const),
    )
    .option(
      '--terminators <keys>',
      'keyboard mode: keys that end a scan, comma-separated (enter, tab; empty: none)',
      'enter',
    )
    .option(
      '--report-id <byte>',
      'keyboard mode: reports carry this leading report id byte (9-byte reports)',
    )
    .option('--verbose', 'add classification, raw reports and warnings')
    .addHelpText(
      'after',
      '\nReports are fed 1 ms apart (a capture has no timing): keyboard scans end at a terminator\nor at the end of the input.\n\nExamples:\n  npx pos-ga4 hid decode fixtures/hid/hid-scanner/1.hex.txt\n  npx pos-ga4 hid decode --layout de --terminators enter,tab till-3.hex.txt\n  cat pos-capture.hex.txt | npx pos-ga4 hid decode --mode pos --verbose -',
    )
    .action(async (file, options) => {
      const fail = (message: string): void => {
        process.stderr.write(`hid decode: ${message}\n`);
        setExitCode(2);
      };
      const terminators = parseTerminators(options.terminators);
      if (terminators === undefined) {
        fail('--terminators takes enter and tab, comma-separated');
        return;
      }
      const layout = keyboardLayoutByName(options.layout);
      if (layout === undefined) {
        fail(`unknown layout ${options.layout}`);
        return;
      }
      const reportId = options.reportId === undefined ? undefined : parseByte(options.reportId);
      if (options.reportId !== undefined && reportId === undefined) {
        fail('--report-id must be a byte (0-255 or 0x00-0xff)');
        return;
      }
      let reports: Uint8Array[];
      try {
        reports = parseHexReports(await readInput(file));
      } catch (error) {
        fail((error as Error).message);
        return;
      }
      const decoder = new ScanReportDecoder(
        options.mode === 'pos'
          ? { mode: 'pos' }
          : {
              mode: 'keyboard',
              keyboard: {
                layout,
                terminators,
                ...(reportId === undefined ? {} : { reportId }),
              },
            },
      );
      const verbose = options.verbose === true;
      const scans = reports.flatMap((report, index) => decoder.push(report, index));
      scans.push(...decoder.end());
      for (const scan of scans) process.stdout.write(scanLine(scan, verbose));
      if (verbose) {
        for (const warning of decoder.takeWarnings()) {
          process.stderr.write(`${JSON.stringify({ warning })}\n`);
        }
      }
      setExitCode(0);
    });
}

function listCommand(setExitCode: (code: number) => void) {
  return new Command('list')
    .description(
      "List the HID interfaces node-hid can see, to find a scanner's ids, usage page and path",
    )
    .addOption(
      new Option('--driver <type>', 'Linux: the hidapi backend')
        .choices(['hidraw', 'libusb'] as const)
        .default('hidraw' as const),
    )
    .option('--json', 'one JSON object per interface')
    .addHelpText(
      'after',
      '\nOn Linux, /dev/hidraw* nodes are root-only until a udev rule grants access\n(deploy/udev/70-pos-ga4-scanners.rules; see docs/hid-scanners.md).\n\nExamples:\n  npx pos-ga4 hid list\n  npx pos-ga4 hid list --json --driver libusb',
    )
    .action(async (options) => {
      let devices;
      try {
        devices = await nodeHidProvider({ driverType: options.driver }).list();
      } catch (error) {
        process.stderr.write(`hid list: ${(error as Error).message}\n`);
        setExitCode(2);
        return;
      }
      if (devices.length === 0) {
        process.stderr.write(
          'hid list: no HID interfaces visible (none plugged in, or no permission: see docs/hid-scanners.md)\n',
        );
      }
      for (const device of devices) {
        process.stdout.write(
          options.json === true ? `${JSON.stringify(device)}\n` : `${describeHidDevice(device)}\n`,
        );
      }
      setExitCode(0);
    });
}

export function hidCommand(setExitCode: (code: number) => void) {
  return new Command('hid')
    .description('HID barcode scanners: decode captured reports, list devices')
    .addCommand(decodeCommand(setExitCode))
    .addCommand(listCommand(setExitCode));
}

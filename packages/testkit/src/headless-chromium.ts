/**
 * Debian's Chromium (installed by .ci/run), headless, driven by playwright-core, with the flags
 * this closed network needs (no background networking: its connections would be refused). The
 * caller closes the browser. `CHROMIUM_PATH` overrides the binary.
 */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export function launchHeadlessChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

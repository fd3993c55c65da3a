/**
 * node-hid (and the libudev/libusb its binding links) is loaded only when a HID scanner is
 * actually used: checked by structure (only node-hid-provider.ts names it, with a dynamic import)
 * and at run time (the CommonJS module cache). This file must not load node-hid before its checks;
 * vitest runs each test file in its own process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { FakeHidProvider, usKeyboardReports } from '@pos-ga4/testkit';
import { describe, expect, it } from 'vitest';

import { buildHidScanSource } from './build-hid-scan-source.js';
import { HidScannerSourceSchema } from './hid-scanner-config.js';
import { nodeHidProvider } from './node-hid-provider.js';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function nodeHidLoaded(): boolean {
  return Object.keys(require.cache).some((path) =>
    /[\\/]node_modules[\\/]node-hid[\\/]/.test(path),
  );
}

describe('node-hid is loaded lazily', () => {
  it('only node-hid-provider.ts names node-hid, and only with a dynamic import at run time', () => {
    const naming = sourceFiles(SRC).filter((file) =>
      readFileSync(file, 'utf8').includes("'node-hid'"),
    );
    expect(naming.map((file) => relative(SRC, file))).toEqual(['device/hid/node-hid-provider.ts']);
    const provider = readFileSync(join(SRC, 'device/hid/node-hid-provider.ts'), 'utf8');
    const imports = [...provider.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'node-hid';/gm)];
    expect(imports.every((match) => match[1] !== undefined)).toBe(true);
    expect(provider).toContain("import('node-hid')");
  });

  it('a scan source on another provider, and an unused node-hid provider, never load it', async () => {
    expect(nodeHidLoaded()).toBe(false);
    const unused = nodeHidProvider({ driverType: 'hidraw' });
    const fake = new FakeHidProvider([{ vendorId: 1, productId: 2, path: '/dev/hidraw9' }]);
    const config = HidScannerSourceSchema.parse({
      type: 'hid',
      device: { vendorId: '0001', productId: 2 },
    });
    const source = buildHidScanSource(config, { provider: fake });
    const iterator = source[Symbol.asyncIterator]();
    await fake.nextOpen();
    await new Promise((resolve) => setImmediate(resolve));
    fake.current?.emitReports(usKeyboardReports('abc\n'));
    expect((await iterator.next()).value?.data).toBe('abc');
    await source.close();
    expect(unused).toBeDefined();
    expect(nodeHidLoaded()).toBe(false);

    // positive control: the check does see node-hid once a real provider lists devices
    // (on a machine without libudev/libusb this rejects, but the module is loaded all the same)
    await unused.list().catch(() => []);
    expect(nodeHidLoaded()).toBe(true);
  });
});

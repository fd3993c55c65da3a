/**
 * The Realtime-like page in a real headless Chromium (Debian `chromium`, installed by .ci/run,
 * driven by playwright-core): it shows what the collector received and refreshes by itself.
 */
import { launchHeadlessChromium } from '@pos-ga4/testkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildCollector } from '../src/index.js';
import type { Collector } from '../src/index.js';

let browser: Browser;
let collector: Collector;
let base: string;

function purchase(clientId: string, transactionId: string, value: number): string {
  return JSON.stringify({
    client_id: clientId,
    events: [
      {
        name: 'purchase',
        params: {
          transaction_id: transactionId,
          value,
          currency: 'EUR',
          items: [{ item_id: 'SKU-1', item_name: 'Wooden Train Set', price: value, quantity: 1 }],
        },
      },
    ],
  });
}

beforeAll(async () => {
  collector = buildCollector();
  base = await collector.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchHeadlessChromium();
});

afterAll(async () => {
  await browser.close();
  await collector.app.close();
});

describe('Realtime page in headless Chromium', () => {
  it('shows events, revenue and the latest purchases with items, and refreshes by itself', async () => {
    await fetch(`${base}/mp/collect`, {
      method: 'POST',
      body: purchase('111.222', 'store-1_t1_20261126_0001', 39.99),
    });
    await fetch(`${base}/mp/collect`, {
      method: 'POST',
      body: purchase('333.444', 'store-1_t1_20261126_0002', 10),
    });
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForFunction("document.getElementById('events')?.textContent === '2'");
    expect(await page.textContent('#events30')).toBe('2');
    expect(await page.textContent('#revenue')).toContain('49.99 EUR');
    const rows = await page.locator('#purchases tr').allTextContents();
    expect(rows[0]).toContain('store-1_t1_20261126_0002');
    expect(rows[1]).toContain('1 × Wooden Train Set @ 39.99');
    expect(await page.locator('#clients tr').count()).toBe(2);

    // a new purchase appears without reloading
    await fetch(`${base}/mp/collect`, {
      method: 'POST',
      body: purchase('111.222', 'store-1_t1_20261126_0003', 5),
    });
    await page.waitForFunction(
      "document.getElementById('events')?.textContent === '3'",
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.locator('#purchases tr').first().textContent()).toContain(
      'store-1_t1_20261126_0003',
    );
    if (process.env['UPDATE_SCREENSHOTS'] === '1')
      await page.screenshot({
        path: new URL('../../../docs/images/collector-realtime.png', import.meta.url).pathname,
        fullPage: true,
      });
    await page.close();
  });
});

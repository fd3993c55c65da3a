/**
 * The Realtime-like page in a real headless Chromium (Debian `chromium`, installed by .ci/run,
 * driven by playwright-core): it shows what the collector received, refreshes by itself, and nets
 * refunds against their purchases (per transaction and in the revenue totals).
 */
import { launchHeadlessChromium } from '@pos-ga4/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildCollector } from '../src/index.js';
import type { Collector } from '../src/index.js';

let browser: Browser;
let collector: Collector;
let base: string;

interface Item {
  readonly item_id: string;
  readonly item_name: string;
  readonly price: number;
  readonly quantity: number;
}

function body(clientId: string, name: string, params: Record<string, unknown>): string {
  return JSON.stringify({ client_id: clientId, events: [{ name, params }] });
}

function purchase(clientId: string, transactionId: string, value: number): string {
  return body(clientId, 'purchase', {
    transaction_id: transactionId,
    value,
    currency: 'EUR',
    items: [{ item_id: 'SKU-1', item_name: 'Wooden Train Set', price: value, quantity: 1 }],
  });
}

async function send(text: string): Promise<void> {
  const response = await fetch(`${base}/mp/collect`, { method: 'POST', body: text });
  expect(response.status).toBe(204);
}

/** Text of each cell of each row of a table body. */
async function cells(page: Page, tbody: string): Promise<string[][]> {
  const rows = page.locator(`${tbody} tr`);
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).locator('td').allInnerTexts()).map((t) => t.trim()));
  return out;
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
    await send(purchase('111.222', 'store-1_t1_20261126_0001', 39.99));
    await send(purchase('333.444', 'store-1_t1_20261126_0002', 10));
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.waitForFunction("document.getElementById('events')?.textContent === '2'");
    expect(await page.textContent('#events30')).toBe('2');
    expect(await cells(page, '#revenue')).toEqual([['EUR', '49.99', '0.00', '49.99']]);
    const rows = await page.locator('#purchases tr').allTextContents();
    expect(rows[0]).toContain('store-1_t1_20261126_0002');
    expect(rows[0]).toContain('10.00 EUR');
    expect(rows[1]).toContain('1 × Wooden Train Set @ 39.99');
    expect(await page.locator('#clients tr').count()).toBe(2);

    // a new purchase appears without reloading
    await send(purchase('111.222', 'store-1_t1_20261126_0003', 5));
    await page.waitForFunction(
      "document.getElementById('events')?.textContent === '3'",
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.locator('#purchases tr').first().textContent()).toContain(
      'store-1_t1_20261126_0003',
    );
    await page.close();
  });

  it('nets a partial and a full refund against their purchases, and marks a refund without one', async () => {
    await fetch(`${base}/api/requests`, { method: 'DELETE' });
    const customer = '1857116524.1675709798';
    const sale = 'berlin-01_till-1_20261126_000101';
    const highlighters: Item = {
      item_id: 'A-1001',
      item_name: 'Stabilo Highlighter Yellow',
      price: 1.89,
      quantity: 2,
    };
    const notebook: Item = {
      item_id: 'A-2040',
      item_name: 'Notebook A5 Dotted',
      price: 6.99,
      quantity: 1,
    };
    await send(
      body(customer, 'purchase', {
        transaction_id: sale,
        value: 10.77,
        currency: 'EUR',
        items: [highlighters, notebook],
      }),
    );
    await send(purchase('1704226711.1764140000', 'berlin-01_till-2_20261126_2026.2F0007', 26.97));
    await send(
      body('998877665.1700000000', 'purchase', {
        transaction_id: 'nyc-05_lane-3_20261126_R-88120',
        value: 24.57,
        currency: 'USD',
        items: [
          { item_id: 'G-220', item_name: 'Organic Coffee Beans 1lb', price: 24.57, quantity: 1 },
        ],
      }),
    );
    // the partial refund: one line, under the purchase's transaction id and client
    await send(
      body(customer, 'refund', {
        transaction_id: sale,
        value: 3.78,
        currency: 'EUR',
        pos_refund_id: 'berlin-01_till-1_20261126_000104',
        items: [highlighters],
      }),
    );
    // a full refund carries no items
    await send(
      body('998877665.1700000000', 'refund', {
        transaction_id: 'nyc-05_lane-3_20261126_R-88120',
        value: 24.57,
        currency: 'USD',
        pos_refund_id: 'nyc-05_lane-3_20261126_R-88130',
      }),
    );
    // a refund of a purchase this collector never received
    await send(
      body('1099221133.1763500000', 'refund', {
        transaction_id: 'berlin-01_till-2_20261120_2026.2F0001',
        value: 12.5,
        currency: 'EUR',
        pos_refund_id: 'berlin-01_till-2_20261126_2026.2F0011',
      }),
    );

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${base}/`);
    await page.waitForFunction("document.getElementById('events')?.textContent === '6'");
    expect(await cells(page, '#transactions')).toEqual([
      [
        'berlin-01_till-2_20261120_2026.2F0001',
        '1099221133.1763500000',
        'not seen',
        '12.50',
        '-12.50',
        'EUR',
        'refund only: purchase not seen\nby berlin-01_till-2_20261126_2026.2F0011',
      ],
      [
        'nyc-05_lane-3_20261126_R-88120',
        '998877665.1700000000',
        '24.57',
        '24.57',
        '0.00',
        'USD',
        'fully refunded\nby nyc-05_lane-3_20261126_R-88130',
      ],
      [
        sale,
        customer,
        '10.77',
        '3.78',
        '6.99',
        'EUR',
        'partly refunded\nby berlin-01_till-1_20261126_000104',
      ],
      [
        'berlin-01_till-2_20261126_2026.2F0007',
        '1704226711.1764140000',
        '26.97',
        '',
        '26.97',
        'EUR',
        '',
      ],
    ]);
    expect(await page.locator('#transactions tr.orphan').count()).toBe(1);
    // gross 10.77 + 26.97, refunded 3.78 + 12.50 (the refund without a purchase lowers revenue too)
    expect(await cells(page, '#revenue')).toEqual([
      ['EUR', '37.74', '16.28', '21.46'],
      ['USD', '24.57', '24.57', '0.00'],
    ]);
    if (process.env['UPDATE_SCREENSHOTS'] === '1')
      await page.screenshot({
        path: new URL('../../../docs/images/collector-realtime.png', import.meta.url).pathname,
        fullPage: true,
      });
    await page.close();
  });
});

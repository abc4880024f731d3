// The interactive API page as a person uses it, in headless Chromium (Debian's package,
// driven by playwright-core): open /api_doc, authorize with a SEC token, try a request for
// a seeded restore, and see its response. A screenshot lands in test/artifacts/.

import { mkdir } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../support/stack.ts';

const SCREENSHOT = new URL('../artifacts/api-help.png', import.meta.url);
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack(),
    chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      // The machine has no network beyond loopback: no background calls, no sandbox as root.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the API page at /api_doc', () => {
  it('reads the endpoint, takes a SEC token and runs a request for a seeded restore', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    await page.goto(`${stack.httpUrl}/api_doc`);

    const operation = page.locator('#operations-backup_and_restore-getRestore');
    const path = operation.locator('.opblock-summary-path');
    await path.waitFor();
    expect(await path.textContent()).toBe('/api/backup_and_restore/restores/{id}');

    await page.locator('.auth-wrapper .authorize').click();
    await page.locator('.modal-ux input').fill('local-dev-token');
    await page.locator('.modal-ux .auth-btn-wrapper .authorize').click();
    await page.locator('.modal-ux .btn-done').click();

    await operation.locator('.opblock-summary').click();
    await operation.locator('input[placeholder="id"]').fill('1');
    await operation.locator('.execute').click();

    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    const body = await operation
      .locator('.live-responses-table .response-col_description pre')
      .first()
      .textContent();
    expect(JSON.parse(body ?? '')).toMatchObject({ id: 1, status: 'PENDING' });

    await mkdir(new URL('.', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
  });
});

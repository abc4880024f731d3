// The interactive API page as a person uses it, in headless Chromium (Debian's package,
// driven by playwright-core): open /api_doc as `npm start` prints it, authorize with a SEC
// token, try a request for a seeded restore and see its response, then open the help group
// and list the API versions. A screenshot lands in test/artifacts/.

import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/harness/local-stack.ts';

const SCREENSHOT = new URL('../artifacts/api-doc.png', import.meta.url);
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  // npm test's pretest (scripts/ensure-chromium.sh) installs it where it may; otherwise this
  // test fails with the same words, without a stack trace.
  if (!existsSync(CHROMIUM)) {
    const error = new Error(
      `The browser test needs Chromium, and there is none at ${CHROMIUM}. Install it ` +
        '(sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome.',
    );
    error.name = 'MissingPrerequisite';
    error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
  [stack, browser] = await Promise.all([
    startLocalStack(),
    chromium.launch({
      executablePath: CHROMIUM,
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

/** Opens a tag's group of operations (the page starts with every group closed). */
const openGroup = async (page: Page, tag: string): Promise<void> => {
  await page.locator(`#operations-tag-${tag}`).click();
};

/** Presses Execute on an open operation; its live response's status and body. */
const execute = async (operation: Locator) => {
  await operation.locator('.execute').click();
  const response = operation.locator('.live-responses-table .response');
  const status = response.locator('.response-col_status');
  await status.waitFor();
  const body = await response.locator('.response-col_description pre.microlight').first().textContent();
  const headers = (await response.locator('.headerline').allTextContents()).map((line) => line.trim());
  return { status: (await status.textContent())?.trim(), body: JSON.parse(body ?? '') as unknown, headers };
};

describe('the API page at /api_doc', () => {
  it('takes a SEC token, runs a restore request, and lists the versions from the help group', async () => {
    const address = `${stack.httpUrl}/api_doc`;
    expect(stack.output()).toContain(`API page:       ${address}`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const requests: string[] = [];
    page.on('request', (request) => {
      requests.push(request.url());
    });
    await page.goto(address);

    await openGroup(page, 'backup_and_restore');
    const restore = page.locator('#operations-backup_and_restore-getRestore');
    const path = restore.locator('.opblock-summary-path');
    await path.waitFor();
    expect(await path.textContent()).toBe('/api/backup_and_restore/restores/{id}');

    // The SEC scheme's form of the two (SEC, Basic) the Authorize dialog offers.
    await page.locator('.auth-wrapper .authorize').click();
    const sec = page.locator('.modal-ux .auth-container').filter({ hasText: 'apiKey' });
    await sec.locator('input').fill('local-dev-token');
    await sec.locator('.auth-btn-wrapper .authorize').click();
    await page.locator('.modal-ux .btn-done').first().click();

    await restore.locator('.opblock-summary').click();
    await restore.locator('input[placeholder="id"]').fill('1');
    const restored = await execute(restore);
    expect(restored.status).toBe('200');
    expect(restored.body).toMatchObject({ id: 1, status: 'PENDING' });

    await openGroup(page, 'help');
    const versions = page.locator('#operations-help-listVersions');
    await versions.locator('.opblock-summary').click();
    const listed = await execute(versions);
    expect(listed.status).toBe('200');
    expect(listed.body).toEqual(
      expect.arrayContaining([
        {
          id: expect.any(Number),
          version: '26.0',
          deprecated: false,
          removed: false,
          root_resource_ids: expect.any(Array),
        },
      ]),
    );
    expect(listed.headers).toContainEqual(expect.stringMatching(/^content-range: items 0-\d+\/\d+$/));

    // Every request the page made stayed on this host.
    expect(requests.filter((url) => !url.startsWith(stack.httpUrl))).toEqual([]);
    await mkdir(new URL('./', SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
  });
});

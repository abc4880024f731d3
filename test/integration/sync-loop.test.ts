// npm start's sync (local/sync-loop.ts): its settings from the environment, and passes that
// start at once, come back every interval, never overlap, and print their summaries.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingError } from '../../lib/qradar-console/settings.ts';
import { createTable, localClient } from '../../local/dynalite.ts';
import { type ConsoleStandIn, startConsoleStandIn } from '../../local/harness/qradar-console.ts';
import { readSyncSettings, startSyncLoop } from '../../local/sync-loop.ts';
import { startStore, type TestStore } from '../support/test-store.ts';

const TOKEN = '3f9a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
let store: TestStore;
let qradar: ConsoleStandIn;
let dir: string;

beforeAll(async () => {
  store = await startStore();
  qradar = await startConsoleStandIn({ token: TOKEN, user: 'admin', password: 'pw' });
  dir = await mkdtemp(join(tmpdir(), 'sync-loop-'));
});
afterAll(async () => {
  await qradar?.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('readSyncSettings', () => {
  it('is off without QRADAR_CONSOLE_URL, and reads the console, token, CA and interval with it', async () => {
    expect(readSyncSettings({})).toBeUndefined();
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, 'PEM');
    const settings = readSyncSettings({
      QRADAR_CONSOLE_URL: 'https://qradar.example.com:8443/',
      QRADAR_SEC_TOKEN: TOKEN,
      QRADAR_CA_FILE: caFile,
      SYNC_INTERVAL_SECONDS: '15',
    });
    expect(settings).toMatchObject({
      console: { origin: 'https://qradar.example.com:8443', credentials: { sec: TOKEN }, version: '26.0' },
      intervalMs: 15_000,
    });
    expect(settings?.console.ca?.toString()).toBe('PEM');
    expect(
      readSyncSettings({ QRADAR_CONSOLE_URL: 'https://q.example', QRADAR_SEC_TOKEN: TOKEN })?.intervalMs,
    ).toBe(60_000);
  });

  it.each([
    [
      { QRADAR_CONSOLE_URL: 'http://q.example', QRADAR_SEC_TOKEN: TOKEN },
      'QRADAR_CONSOLE_URL needs an https:// address',
    ],
    [
      { QRADAR_CONSOLE_URL: 'https://q.example' },
      'QRADAR_CONSOLE_URL is set: set QRADAR_SEC_TOKEN to its token too',
    ],
    [
      { QRADAR_CONSOLE_URL: 'https://q.example', QRADAR_SEC_TOKEN: 'a b' },
      'QRADAR_SEC_TOKEN holds characters',
    ],
    [
      { QRADAR_CONSOLE_URL: 'https://q.example', QRADAR_SEC_TOKEN: TOKEN, SYNC_INTERVAL_SECONDS: '0' },
      'SYNC_INTERVAL_SECONDS must be a whole number of seconds from 1 to 86400',
    ],
    [
      { QRADAR_CONSOLE_URL: 'https://q.example', QRADAR_SEC_TOKEN: TOKEN, QRADAR_CA_FILE: '/no/such.pem' },
      'QRADAR_CA_FILE cannot be read: /no/such.pem (ENOENT)',
    ],
  ])('refuses %j', (env, message) => {
    expect(() => readSyncSettings(env)).toThrow(SettingError);
    expect(() => readSyncSettings(env)).toThrow(message);
    try {
      readSyncSettings(env);
    } catch (error) {
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });
});

describe('startSyncLoop', () => {
  it('passes at once and every interval, one at a time, printing each summary', async () => {
    const table = 'loop_restores';
    const client = localClient(store.endpoint);
    await createTable(client, 'RestoresTable', table);
    qradar.restores = ['{"id":1,"status":"PENDING"}'];
    // Each page takes longer than the interval: a pass must hold the next one back.
    qradar.mode = 'drip';
    qradar.dripMs = 40;
    qradar.concurrency.most = 0;
    const settings = readSyncSettings({
      QRADAR_CONSOLE_URL: qradar.origin,
      QRADAR_SEC_TOKEN: TOKEN,
      QRADAR_CA_FILE: qradar.caFile,
      SYNC_INTERVAL_SECONDS: '1',
    });
    if (settings === undefined) throw new Error('no settings');
    const lines: string[] = [];
    const loop = startSyncLoop(settings, { client, table }, (line) => lines.push(line));
    const passes = () => lines.filter((line) => line.startsWith(`Sync from ${qradar.origin}: read`));
    await expect.poll(passes, { timeout: 15_000, interval: 100 }).toHaveLength(1);
    qradar.mode = 'normal';
    qradar.restores = ['{"id":1,"status":"SUCCESS"}'];
    await expect
      .poll(() => passes().some((line) => line.includes('written 1, unchanged 0')) && passes().length >= 3, {
        timeout: 15_000,
        interval: 100,
      })
      .toBe(true);
    await loop.stop();
    const after = passes().length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(passes()).toHaveLength(after);
    client.destroy();
    expect(qradar.concurrency.most).toBe(1);
    expect(passes()[0]).toMatch(
      /^Sync from https:\/\/127\.0\.0\.1:\d+: read 1, written 1, unchanged 0, stale 0, rejected 0, deleted 0, deletions refused 0, \d+ ms$/,
    );
    expect(lines.join('\n')).not.toContain(TOKEN);
  }, 40_000);
});

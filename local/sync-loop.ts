// `QRADAR_CONSOLE_URL=https://CONSOLE npm start`: the local stack keeps its restores table
// current from a console, as the syncRestores function does on AWS: a pass at start, then one
// every SYNC_INTERVAL_SECONDS (default 60), never two at once, each pass's summary printed.
// The token comes from QRADAR_SEC_TOKEN, a console's own CA from QRADAR_CA_FILE.

import { readFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { printable } from '../lib/observability/printable.ts';
import type { ConsoleSource } from '../lib/qradar-console/reader.ts';
import {
  consoleOrigin,
  DEFAULT_API_VERSION,
  DEFAULT_PAGE_SIZE,
  isHeaderSafe,
  SettingError,
} from '../lib/qradar-console/settings.ts';
import { runPass, summaryLine } from '../lib/sync/pass.ts';

export interface SyncSettings {
  readonly console: ConsoleSource;
  readonly intervalMs: number;
}

const DEFAULT_INTERVAL_SECONDS = 60;
const MAX_INTERVAL_SECONDS = 86_400;

/** The sync's settings from npm start's environment; undefined without QRADAR_CONSOLE_URL. Throws SettingError. */
export const readSyncSettings = (env: NodeJS.ProcessEnv): SyncSettings | undefined => {
  const url = env['QRADAR_CONSOLE_URL'] || undefined;
  if (url === undefined) return undefined;
  const origin = consoleOrigin(url, 'QRADAR_CONSOLE_URL', 'QRADAR_SEC_TOKEN');
  const sec = env['QRADAR_SEC_TOKEN'] || undefined;
  if (sec === undefined)
    throw new SettingError('QRADAR_CONSOLE_URL is set: set QRADAR_SEC_TOKEN to its token too');
  // Never echoed: it is a credential.
  if (!isHeaderSafe(sec)) throw new SettingError('QRADAR_SEC_TOKEN holds characters a header cannot carry');
  const seconds = env['SYNC_INTERVAL_SECONDS'] || String(DEFAULT_INTERVAL_SECONDS);
  if (!/^[0-9]{1,5}$/.test(seconds) || Number(seconds) < 1 || Number(seconds) > MAX_INTERVAL_SECONDS) {
    throw new SettingError(
      `SYNC_INTERVAL_SECONDS must be a whole number of seconds from 1 to ${MAX_INTERVAL_SECONDS}`,
    );
  }
  const caFile = env['QRADAR_CA_FILE'] || undefined;
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile);
    } catch (error) {
      throw new SettingError(
        `QRADAR_CA_FILE cannot be read: ${caFile} (${String((error as { code?: unknown }).code)})`,
      );
    }
  }
  return {
    console: {
      origin,
      credentials: { sec },
      version: DEFAULT_API_VERSION,
      pageSize: DEFAULT_PAGE_SIZE,
      caHint: 'QRADAR_CA_FILE',
      ...(ca === undefined ? {} : { ca }),
    },
    intervalMs: Number(seconds) * 1000,
  };
};

export interface SyncLoop {
  /** Waits for a pass under way to end, and starts no other. */
  stop(): Promise<void>;
}

/** A pass now, then one every interval from the last one's start (right after it, if it overran). */
export const startSyncLoop = (
  settings: SyncSettings,
  target: { readonly client: DynamoDBDocumentClient; readonly table: string },
  say: (line: string) => void,
): SyncLoop => {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const origin = settings.console.origin;
  const pass = async (): Promise<void> => {
    const started = Date.now();
    try {
      const summary = await runPass({
        console: settings.console,
        client: target.client,
        table: target.table,
        // A slow pass holds the next back rather than overlapping it.
        deadline: started + Math.max(settings.intervalMs, 30_000),
      });
      say(`Sync from ${origin}: ${summaryLine(summary)}`);
      for (const reason of summary.reasons) say(`Sync from ${origin} failed: ${reason}`);
    } catch (error) {
      say(`Sync from ${origin} failed: ${printable(error instanceof Error ? error.message : String(error))}`);
    } finally {
      if (!stopped) timer = setTimeout(next, Math.max(0, started + settings.intervalMs - Date.now()));
    }
  };
  const next = (): void => {
    running = pass();
  };
  next();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
    },
  };
};

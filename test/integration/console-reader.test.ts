// The console reader against a stand-in console turned hostile: every way a console (or what
// sits in its place) can answer wrongly ends the read with a clear ConsoleError, within its
// deadlines and size caps, after handing on only the pages read whole and checked.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleError, type ConsoleSource, consoleRecords } from '../../lib/qradar-console/reader.ts';
import { type ConsoleStandIn, startConsoleStandIn } from '../../local/harness/qradar-console.ts';

const TOKEN = '0b7d6f2e-5c1a-4f7e-8d3b-2a9c4e6f1b05';
let qradar: ConsoleStandIn;
let ca: string;

beforeAll(async () => {
  qradar = await startConsoleStandIn({ token: TOKEN, user: 'admin', password: 'secret password' });
  ca = await readFile(qradar.caFile, 'utf8');
});
afterAll(async () => {
  await qradar?.close();
});
beforeEach(() => {
  qradar.mode = 'normal';
  qradar.requests.length = 0;
  qradar.streamed.bytes = 0;
  qradar.restores = Array.from({ length: 12 }, (_, i) => `{"id":${i + 1},"status":"SUCCESS"}`);
});

const source = (overrides: Partial<ConsoleSource> = {}): ConsoleSource => ({
  origin: qradar.origin,
  credentials: { sec: TOKEN },
  version: '26.0',
  pageSize: 5,
  ca,
  ...overrides,
});

/** The records read, and how the read ended. */
const read = async (from: ConsoleSource) => {
  const positions: number[] = [];
  let total: number | undefined;
  try {
    for await (const record of consoleRecords(from, (t) => (total = t))) positions.push(record.position);
    return { positions, total, error: undefined };
  } catch (error) {
    return { positions, total, error: error as Error };
  }
};

describe('consoleRecords', () => {
  it('reads the whole list page by page, the last page shorter, and ends normally', async () => {
    const { positions, total, error } = await read(source());
    expect(error).toBeUndefined();
    expect(total).toBe(12);
    expect(positions).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(qradar.requests.map((r) => r.range)).toEqual(['items=0-4', 'items=5-9', 'items=10-14']);
  });

  it('reads an empty list as complete, with one request', async () => {
    qradar.restores = [];
    expect(await read(source())).toEqual({ positions: [], total: 0, error: undefined });
    expect(qradar.requests).toHaveLength(1);
  });

  it('gives up on a page that trickles in, at its deadline from connection to last byte', async () => {
    qradar.mode = 'drip';
    qradar.dripMs = 20;
    const { positions, error } = await read(source({ pageTimeoutMs: 300 }));
    expect(error).toEqual(new ConsoleError(`${qradar.origin} did not send the page items=0-4 within 0.3 s`));
    expect(positions).toEqual([]);
    // The page is over 100 bytes: it was cut off long before its end.
    expect(qradar.streamed.bytes).toBeLessThan(40);
  });

  it('stops at the overall deadline before asking for another page', async () => {
    const { error } = await read(source({ deadline: Date.now() - 1 }));
    expect(error?.message).toBe(
      "the console's list was not read in the time a pass has (0 of ? restores read)",
    );
    expect(qradar.requests).toEqual([]);
  });

  it('reads no more than 64 KiB of an error body that never ends, and says what it was', async () => {
    qradar.mode = 'endless-401';
    const { error } = await read(source());
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error?.message).toMatch(/^the console answered 401: x{200} \(an answer over 65536 bytes, cut\)$/);
    expect((error as ConsoleError).status).toBe(401);
  });

  it('refuses a console that ignores Range (no Content-Range) after one request', async () => {
    qradar.mode = 'ignore-range';
    const { positions, error } = await read(source());
    expect(error?.message).toBe(
      'its answer to Range: items=0-4 has no Content-Range (items x-y/TOTAL): the console does not page its list, so it cannot be read whole',
    );
    expect(positions).toEqual([]);
    expect(qradar.requests).toHaveLength(1);
  });

  it('refuses a total past what a list can hold, before paging through it', async () => {
    qradar.mode = 'lying-total';
    const { positions, error } = await read(source());
    expect(error?.message).toBe(
      'the console announces 999999999999999 restores, more than the 1000000 read at most',
    );
    expect(positions).toEqual([]);
    expect(qradar.requests).toHaveLength(1);
  });

  it('fails when the total changes from page to page, after the pages read whole', async () => {
    qradar.mode = 'moving-total';
    const { positions, error } = await read(source());
    expect(error?.message).toBe(
      "the console's list changed while it was read: 13 restores, then 14; read it again",
    );
    expect(positions).toEqual([1, 2, 3, 4, 5]);
  });

  it('fails a short read: a total announced, then an empty page before it', async () => {
    qradar.mode = 'short';
    qradar.extra = 700;
    qradar.restores = qradar.restores.slice(0, 10);
    const { positions, error } = await read(source());
    expect(error?.message).toBe(
      'the console announced 710 restores but its answer to Range: items=10-14 holds none from 10 on: the list is incomplete',
    );
    expect(positions).toHaveLength(10);
  });

  it('fails a page cut short before the end of the list the console announced', async () => {
    qradar.mode = 'short';
    qradar.extra = 700;
    const { positions, error } = await read(source());
    expect(error?.message).toBe(
      "its answer to Range: items=10-14 stops short of the page without reaching the list's end (items 10-11/712)",
    );
    expect(positions).toHaveLength(10);
  });

  it('fails when the console breaks off mid-paging, after the pages it answered', async () => {
    qradar.mode = 'fail-after';
    qradar.pages = 1;
    const { positions, error } = await read(source());
    expect(error).toBeInstanceOf(ConsoleError);
    expect(error).toMatchObject({
      message: 'the console answered 503 (QRadar code 1000): The service is unavailable.',
      status: 503,
    });
    expect(positions).toEqual([1, 2, 3, 4, 5]);
  });

  it('never shows an answer that repeats the credentials', async () => {
    qradar.mode = 'token-echo';
    const token = await read(source());
    expect(token.error?.message).toBe(
      'the console answered 401; its answer repeats the credentials sent, so it is not shown',
    );
    const basic = await read(source({ credentials: { user: 'admin', password: 'secret password' } }));
    expect(basic.error?.message).not.toContain(Buffer.from('admin:secret password').toString('base64'));
    expect(basic.error?.message).toMatch(/repeats the credentials/);
  });

  it('follows no redirect, and names none whose location repeats the token', async () => {
    qradar.mode = 'redirect-echo';
    const { error } = await read(source());
    expect(error?.message).toBe(
      'the console answered 302 (to a location repeating the credentials); redirects are not followed',
    );
    expect(qradar.requests).toHaveLength(1);
  });

  it('shows control characters in an error body as visible text', async () => {
    qradar.mode = 'escapes';
    const { error } = await read(source());
    expect(error?.message).toBe(
      'the console answered 500: \\u001b[2J\\u001b[31mconsole on fire\\u001b[0m\\u0007',
    );
    expect(error?.message).not.toMatch(/\p{Cc}/u);
  });

  it('refuses a page that is not a JSON array', async () => {
    qradar.mode = 'not-json';
    const { error } = await read(source());
    expect(error?.message).toBe(
      'its answer to Range: items=0-4 is not a list of restores: line 1 starts with "<": not a JSON array',
    );
  });

  it('refuses a page holding more or fewer records than its Content-Range says', async () => {
    qradar.restores = ['{"id":1}', '{"id":2}, {"id":3}'];
    const { positions, error } = await read(source());
    expect(error?.message).toBe(
      'its answer to Range: items=0-4 (Content-Range: items 0-1/2) holds 3 restores, not 2: the list is incomplete',
    );
    expect(positions).toEqual([]);
  });
});

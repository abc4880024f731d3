// The real SDK path against dynalite: marshalling, ProjectionExpression, number wrapping.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contractChecked } from '../../local/harness/contract.ts';
import { httpV2Event, lambdaContext } from '../../local/harness/events.ts';
import { errorBody, expectResponse } from '../support/responses.ts';
import { startStore, TEST_TOKEN, type TestStore } from '../support/test-store.ts';

let store: TestStore;
let handler: typeof import('../../handlers/getRestore.ts').handler;

const N = (n: string) => ({ N: n });
const S = (s: string) => ({ S: s });

beforeAll(async () => {
  store = await startStore();
  handler = contractChecked((await import('../../handlers/getRestore.ts')).handler);
  await store.putRaw({
    id: N('9223372036854775807'),
    initiated_by: S('admin'),
    host_id: N('-9223372036854775808'),
    time_initiated: N('9007199254740993'),
    time_completed: { NULL: true },
    status: S('IN_PROGRESS'),
    is_cross_deployment_restore: { BOOL: true },
    backup_name: S('nightly'),
    backup_version: S('7.5.0'),
    backup_type: S('CONFIG'),
    backup_filename: S('backup.tgz'),
    groups: { SS: ['USERS_CONFIG', 'ASSETS_DATA'] },
    owner_secret: S('an attribute that is not a restore field'),
    notes: { M: { internal: S('never returned') } },
  });
  await store.putRaw({
    id: N('-9223372036854775808'),
    status: S('PENDING'),
    groups: { L: [S('QVM_CONFIG')] },
  });
  await store.putRaw({ id: N('13'), status: S('FINISHED'), host_id: S('not a number') });
  await store.putRaw({
    id: N('14'),
    status: S('SUCCESS'),
    groups: { L: [S('USERS_CONFIG'), S('USERS_CONFIG')] },
  });
});
afterAll(async () => {
  await store?.close();
});

const get = (id: string, fields?: string) =>
  handler(
    httpV2Event({ id, headers: { SEC: TEST_TOKEN }, ...(fields === undefined ? {} : { fields }) }),
    lambdaContext(),
  ) as Promise<{
    statusCode: number;
    body: string;
  }>;

describe('against dynalite', () => {
  it('returns Longs at the 64-bit limits and above 2^53 with every digit, in the raw text', async () => {
    const { statusCode, body } = await get('9223372036854775807');
    expect(statusCode).toBe(200);
    expect(body).toContain('"id":9223372036854775807');
    expect(body).toContain('"host_id":-9223372036854775808');
    expect(body).toContain('"time_initiated":9007199254740993');
    const min = await get('-9223372036854775808', 'id');
    expect(min.body).toBe('{"id":-9223372036854775808}');
  });

  it('reads groups from a String Set and from a List', async () => {
    const set = JSON.parse((await get('9223372036854775807', 'groups')).body);
    expect(set.groups.sort()).toEqual(['ASSETS_DATA', 'USERS_CONFIG']);
    expect(JSON.parse((await get('-9223372036854775808', 'groups')).body)).toEqual({
      groups: ['QVM_CONFIG'],
    });
  });

  it('writes null for NULL and absent attributes, and never returns other attributes', async () => {
    const restore = JSON.parse((await get('9223372036854775807')).body);
    expect(restore.time_completed).toBeNull();
    expect(restore.backup_id).toBeNull();
    expect(Object.keys(restore)).toHaveLength(13);
    expect(restore).not.toHaveProperty('owner_secret');
    expect(restore).not.toHaveProperty('notes');
  });

  it('tells an item without the selected attributes from a missing item', async () => {
    expectResponse(await get('-9223372036854775808', 'backup_id,time_completed'), 200, {
      backup_id: null,
      time_completed: null,
    });
    expectResponse(await get('404'), 404, errorBody(404, 1001, 'No restore was found with the id 404.'));
  });

  it('answers a malformed record with a 500 that names nothing internal', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await get('13');
    expectResponse(response, 500, errorBody(500, 1000, 'The restore could not be retrieved.'));
    expect(response.body).not.toMatch(/host_id|status|FINISHED|RecordError|restores|dynamo/i);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"restoreId":"13"'));
    log.mockRestore();
  });

  it('takes a groups list that repeats a group for a malformed record: 500, logged', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await get('14');
    expectResponse(response, 500, errorBody(500, 1000, 'The restore could not be retrieved.'));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('groups is not a set of backup groups'));
    log.mockRestore();
  });

  it('reads only the selected fields even when the record is malformed elsewhere', async () => {
    expectResponse(await get('13', 'id'), 200, { id: 13 });
  });

  it('checks the SEC token against the authorized services table', async () => {
    const response = (await handler(
      httpV2Event({ id: '13', headers: { SEC: 'wrong' } }),
      lambdaContext(),
    )) as {
      statusCode: number;
    };
    expect(response.statusCode).toBe(401);
  });

  it('returns the bare restore to a direct caller, Longs exact when serialized', async () => {
    const result = await handler({ id: '9223372036854775807', fields: 'id,host_id' }, lambdaContext());
    expect(JSON.stringify(result)).toBe('{"id":9223372036854775807,"host_id":-9223372036854775808}');
  });
});

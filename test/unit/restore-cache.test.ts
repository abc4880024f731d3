// getRestore with the stage's restore cache (RESTORE_CACHE_TTL_MS): a hot restore is read
// once per TTL and selection, a miss is kept like an answer, a store failure or a record that
// breaks the contract never is, and at 0 every request reads. The cache itself is
// test/unit/store/item-cache.test.ts's.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Dependencies } from '../../lib/front.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { lambdaContext } from '../../local/harness/events.ts';
import { captureOutput } from '../../local/harness/output.ts';
import {
  dynamoError,
  getItemReply,
  type Responder,
  type StubReply,
  stubDependencies,
} from '../../local/harness/stub-handler.ts';
import { readAccessLine } from '../support/emf.ts';

const { createHandler } = await import('../../handlers/getRestore.ts');

// Only the monotonic clock: the SDK's retry backoff still runs on real timers.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Read {
  readonly id: string | undefined;
  readonly projection: string[];
}

/** getRestore over a stub store that answers `answer` per id, recording every read it serves. */
const service = (ttlMs: number, answer: (id: string | undefined) => StubReply) => {
  const reads: Read[] = [];
  const respond: Responder = ({ body }) => {
    if (body['TableName'] !== LOCAL_TABLES.restoresTable)
      throw new Error('a direct invocation reads no other table');
    const id = (body['Key'] as { id?: { N?: string } }).id?.N;
    reads.push({ id, projection: Object.values(body['ExpressionAttributeNames'] as Record<string, string>) });
    return answer(id);
  };
  const stub = stubDependencies(respond);
  const dependencies: Dependencies = { ...stub, config: { ...stub.config, restoreCacheTtlMs: ttlMs } };
  const handler = createHandler(dependencies);
  /** One direct invocation: what it returned or threw, and its access line. */
  const invoke = async (payload: Record<string, unknown>) => {
    const output = await captureOutput(() => handler(payload, lambdaContext()));
    const [record] = output.console;
    return { outcome: output.outcome, access: readAccessLine(String(record?.args[0])).access };
  };
  return { reads, invoke };
};

const restore = (id: string, status = 'IN_PROGRESS') =>
  getItemReply({ id: { N: id }, status: { S: status }, groups: { L: [{ S: 'USERS_CONFIG' }] } });

describe('getRestore with a restore cache', () => {
  it('reads a hot restore once per TTL: the hits answer the same, with no store call', async () => {
    let status = 'IN_PROGRESS';
    const { reads, invoke } = service(1000, (id) => restore(id ?? '', status));
    const first = await invoke({ id: '42', fields: 'id,status,groups' });
    expect(first.outcome).toMatchObject({
      status: 'fulfilled',
      value: { status: 'IN_PROGRESS', groups: ['USERS_CONFIG'] },
    });
    expect(first.access).not.toHaveProperty('cacheHits');
    status = 'SUCCESS';
    vi.advanceTimersByTime(999);
    const hit = await invoke({ id: '42', fields: 'id,status,groups' });
    expect(hit.outcome).toEqual(first.outcome);
    expect(hit.access).toMatchObject({ status: 200, storeCalls: 0, cacheHits: 1 });
    expect(reads).toHaveLength(1);
    vi.advanceTimersByTime(1);
    const fresh = await invoke({ id: '42', fields: 'id,status,groups' });
    expect(fresh.outcome).toMatchObject({ value: { status: 'SUCCESS' } });
    expect(reads).toHaveLength(2);
  });

  it('keys by id and selection: each entry holds what its own read projected', async () => {
    const { reads, invoke } = service(1000, (id) => restore(id ?? ''));
    await invoke({ id: '42', fields: 'status' });
    await invoke({ id: '42' });
    await invoke({ id: '43', fields: 'status' });
    await invoke({ id: '42', fields: 'status' });
    await invoke({ id: '42' });
    expect(reads.map(({ id, projection }) => [id, projection.length])).toEqual([
      ['42', 1],
      ['42', 13],
      ['43', 1],
    ]);
  });

  it('keeps a miss for the TTL too: a polled id that does not exist yet', async () => {
    const { reads, invoke } = service(1000, () => getItemReply());
    for (let i = 0; i < 2; i++) {
      const { outcome } = await invoke({ id: '7' });
      expect(outcome).toMatchObject({ status: 'rejected', reason: { name: 'RestoreNotFound' } });
    }
    expect(reads).toHaveLength(1);
  });

  it('keeps no store failure: the next request reads again', async () => {
    let down = true;
    const { reads, invoke } = service(1000, (id) =>
      down ? dynamoError(400, 'ResourceNotFoundException', 'no such table') : restore(id ?? ''),
    );
    expect((await invoke({ id: '42' })).outcome).toMatchObject({ reason: { name: 'InternalError' } });
    down = false;
    expect((await invoke({ id: '42' })).outcome).toMatchObject({ status: 'fulfilled' });
    expect(reads).toHaveLength(2);
  });

  it('keeps no record that breaks the contract: the next request reads it again', async () => {
    let broken = true;
    const { reads, invoke } = service(1000, (id) =>
      broken ? getItemReply({ id: { N: id ?? '' }, status: { S: 'DONE' } }) : restore(id ?? ''),
    );
    const failed = await invoke({ id: '66' });
    expect(failed.outcome).toMatchObject({ reason: { name: 'InternalError' } });
    expect(failed.access).toMatchObject({ status: 500, error: 'RecordError' });
    broken = false;
    expect((await invoke({ id: '66' })).outcome).toMatchObject({ status: 'fulfilled' });
    expect(reads).toHaveLength(2);
  });
});

describe('getRestore without a restore cache (TTL 0)', () => {
  it('reads the store on every request, as a local table written and read at once needs', async () => {
    let status = 'IN_PROGRESS';
    const { reads, invoke } = service(0, (id) => restore(id ?? '', status));
    await invoke({ id: '42' });
    status = 'SUCCESS';
    const second = await invoke({ id: '42' });
    expect(second.outcome).toMatchObject({ value: { status: 'SUCCESS' } });
    expect(second.access).toMatchObject({ storeCalls: 1 });
    expect(second.access).not.toHaveProperty('cacheHits');
    expect(reads).toHaveLength(2);
  });
});

// publishEntries: PutEvents in calls of at most 10, entries EventBridge refuses sent again
// with backoff while the deadline allows, calls that fail whole treated as their entries
// failing, answers checked rather than trusted, and whatever still fails handed back by index.

import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTRIES_PER_CALL, publishEntries } from '../../../lib/events/publish.ts';

const client = new EventBridgeClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const events = mockClient(client);
afterAll(() => client.destroy());

const entries = (count: number): PutEventsRequestEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    Source: 'qradar-restores',
    DetailType: 'Restore Status Changed',
    Detail: JSON.stringify({ id: String(i) }),
    EventBusName: 'default',
  }));

const idOf = (entry: PutEventsRequestEntry | undefined): number =>
  Number(JSON.parse(String(entry?.Detail)).id);
/** The ids each call carried, in call order. */
const callIds = () =>
  events.commandCalls(PutEventsCommand).map((call) => (call.args[0].input.Entries ?? []).map(idOf));

/** Answers each call entry by entry: `refuse(id, callNumber)` names an error code, or undefined to accept. */
const answer = (refuse: (id: number, call: number) => string | undefined) => {
  let call = 0;
  events.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    call += 1;
    const results: PutEventsResultEntry[] = input.Entries.map((entry) => {
      const code = refuse(idOf(entry), call);
      return code === undefined
        ? { EventId: `event-${idOf(entry)}-${call}` }
        : { ErrorCode: code, ErrorMessage: 'refused' };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
  });
};

const delays: number[] = [];
const options = (deadlineMs = 10_000) => ({
  deadline: Date.now() + deadlineMs,
  sleep: async (ms: number) => {
    delays.push(ms);
  },
  random: () => 1,
});

beforeEach(() => {
  events.reset();
  delays.length = 0;
});

describe('publishEntries', () => {
  it('sends at most 10 entries a call, in order, and reports nothing failed when all are accepted', async () => {
    answer(() => undefined);
    const result = await publishEntries(client, entries(25), options());
    expect(result).toEqual({ failed: new Set(), errors: {}, calls: 3 });
    expect(callIds()).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      [20, 21, 22, 23, 24],
    ]);
    expect(ENTRIES_PER_CALL).toBe(10);
    expect(delays).toEqual([]);
  });

  it('sends again only the entries EventBridge refused, after a backoff, until they are accepted', async () => {
    answer((id, call) => (call <= 2 && (id === 3 || id === 12) ? 'ThrottlingException' : undefined));
    const result = await publishEntries(client, entries(15), options());
    expect(result.failed).toEqual(new Set());
    expect(callIds()).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12, 13, 14],
      [3, 12],
    ]);
    // Round two: at most 100 ms (full jitter, here its ceiling).
    expect(delays).toEqual([100]);
  });

  it('gives up after its rounds, doubling the backoff, and hands back the refused entries with their codes', async () => {
    answer((id) => (id === 1 ? 'InternalException' : id === 4 ? 'MalformedDetail' : undefined));
    const result = await publishEntries(client, entries(6), { ...options(), rounds: 4 });
    expect(result).toEqual({
      failed: new Set([1, 4]),
      errors: { InternalException: 1, MalformedDetail: 1 },
      calls: 4,
    });
    expect(callIds().slice(1)).toEqual([
      [1, 4],
      [1, 4],
      [1, 4],
    ]);
    expect(delays).toEqual([100, 200, 400]);
  });

  it('counts a call that fails whole (after the SDK retries) as each of its entries failing, and tries again', async () => {
    const unavailable = Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
    events
      .on(PutEventsCommand)
      .rejectsOnce(unavailable)
      .resolves({
        FailedEntryCount: 0,
        Entries: [{ EventId: 'a' }, { EventId: 'b' }],
      });
    expect(await publishEntries(client, entries(2), options())).toEqual({
      failed: new Set(),
      errors: {},
      calls: 2,
    });
    events.reset();
    events.on(PutEventsCommand).rejects(unavailable);
    expect(await publishEntries(client, entries(2), { ...options(), rounds: 2 })).toEqual({
      failed: new Set([0, 1]),
      errors: { ServiceUnavailable: 2 },
      calls: 2,
    });
  });

  it('trusts no answer that does not account for each entry, nor an error code it cannot print', async () => {
    const answers = [
      { FailedEntryCount: 0, Entries: [{ EventId: 'only-one' }] },
      { FailedEntryCount: 0 },
      { FailedEntryCount: 0, Entries: [{ EventId: '' }, {}] },
      {
        FailedEntryCount: 2,
        Entries: [{ ErrorCode: '\u001b[31mred' }, { EventId: 'x', ErrorCode: 'Throttled' }],
      },
    ];
    const codes = [
      { MalformedResponse: 2 },
      { MalformedResponse: 2 },
      { Unknown: 2 },
      { Unknown: 1, Throttled: 1 },
    ];
    for (const [i, reply] of answers.entries()) {
      events.reset();
      events.on(PutEventsCommand).resolves(reply);
      const result = await publishEntries(client, entries(2), { ...options(), rounds: 1 });
      expect(result).toEqual({ failed: new Set([0, 1]), errors: codes[i], calls: 1 });
    }
  });

  it('starts no round that could not end before the deadline, and aborts a call at it', async () => {
    answer(() => 'ThrottlingException');
    const result = await publishEntries(client, entries(3), { ...options(900), rounds: 10 });
    expect(result.calls).toBe(1);
    expect(result.failed).toEqual(new Set([0, 1, 2]));
    expect(delays).toEqual([]);

    events.reset();
    events.on(PutEventsCommand).callsFake(() => new Promise(() => undefined));
    const hung = await publishEntries(client, entries(1), { deadline: Date.now() + 50, rounds: 3 });
    expect(hung).toEqual({ failed: new Set([0]), errors: { TimeoutError: 1 }, calls: 1 });
  });

  it('makes no call for no entries', async () => {
    expect(await publishEntries(client, [], options())).toEqual({ failed: new Set(), errors: {}, calls: 0 });
    expect(events.calls()).toHaveLength(0);
  });
});

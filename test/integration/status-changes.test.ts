// Status changes end to end on this machine: writers (`npm run import`, and any other client)
// write restores into dynalite through a recorder that turns each write into the stream
// record DynamoDB would write (dynalite has no streams: test/support/stream-recorder.ts);
// publishStatusChanges takes those records as Lambda would hand them over and publishes to a
// stand-in EventBridge endpoint; the example rule's pattern picks the finished restores and
// the watcher logs them. Longs exact from the export file to the watcher's log line.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Announcer } from '../../lib/events/announce.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { type EmbeddedStore, startLocalStore } from '../../local/dynalite.ts';
import { lambdaContext } from '../../local/harness/events.ts';
import { captureOutput, settledValue } from '../../local/harness/output.ts';
import { type PutEventsEntry, type StandInEventBridge, startEventBridge } from '../support/eventbridge.ts';
import { runImport } from '../support/import-cli.ts';
import { deliveredEvent, sqsBatch } from '../support/status-events.ts';
import { type StreamRecord, type StreamRecorder, startStreamRecorder } from '../support/stream-recorder.ts';

const TABLE = LOCAL_TABLES.restoresTable;
const BUS = 'restores-bus';

let store: EmbeddedStore;
let recorder: StreamRecorder;
let events: StandInEventBridge;
let writer: DynamoDBClient;
let dir: string;
let publish: Announcer;
let watch: (event: SQSEvent) => Promise<unknown>;

beforeAll(async () => {
  [store, events] = await Promise.all([startLocalStore(0), startEventBridge()]);
  recorder = await startStreamRecorder(store.endpoint, { table: TABLE });
  dir = await mkdtemp(join(tmpdir(), 'status-changes-'));
  writer = new DynamoDBClient({
    endpoint: recorder.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  vi.stubEnv('EVENT_BUS_NAME', BUS);
  vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', events.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'status-changes-test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'status-changes-test');
  publish = (await import('../../handlers/publishStatusChanges.ts')).handler;
  watch = (await import('../../handlers/restoreWatcher.ts')).handler;
}, 60_000);

afterAll(async () => {
  writer?.destroy();
  await Promise.all([recorder?.close(), events?.close()]);
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A QRadar export line, Longs written as the console writes them (JSON integers). */
const restore = (id: string, status: string, completed = 'null', name = 'nightly') =>
  `{"id": ${id}, "initiated_by": "admin", "host_id": 9223372036854775807, "time_initiated": 1767225600000, ` +
  `"time_completed": ${completed}, "status": "${status}", "is_cross_deployment_restore": false, ` +
  `"backup_id": -9223372036854775808, "backup_name": "${name}", "backup_version": "7.5.0", ` +
  `"backup_type": "CONFIG", "backup_filename": "backup.tgz", "groups": ["USERS_CONFIG"]}`;

let files = 0;
/** `npm run import` of these export lines (NDJSON) into the table, through the recorder. */
const importLines = async (...lines: string[]) => {
  const path = join(dir, `export-${++files}.ndjson`);
  await writeFile(path, `${lines.join('\n')}\n`);
  const run = await runImport([path], { DYNAMODB_ENDPOINT: recorder.endpoint, RESTORES_TABLE: TABLE });
  expect(run.code, run.stderr).toBe(0);
};

/** One stream batch through the publisher: its answer, and what the stand-in accepted meanwhile. */
const published = async (records: StreamRecord[]) => {
  const before = events.accepted.length;
  const output = await captureOutput(() => publish({ Records: records }, lambdaContext(30_000)));
  return {
    answer: settledValue(output),
    details: events.accepted
      .slice(before)
      .map((entry) => JSON.parse(String(entry.Detail)) as Record<string, unknown>),
    logged: output.console.map(({ args }) => JSON.parse(String(args[0])) as Record<string, unknown>),
  };
};

const detailOf = (id: string, status: string, previous: string | null, completed: string | null) => ({
  id,
  status,
  previous_status: previous,
  time_completed: completed,
  change_id: expect.stringMatching(/^[0-9a-f]{32}$/),
});

describe('status changes, from every writer to the watcher', () => {
  it('announces each restore a first import writes, Longs as the export wrote them', async () => {
    await importLines(
      restore('9007199254740993', 'PENDING'),
      restore('9223372036854775807', 'IN_PROGRESS'),
      restore('-9223372036854775808', 'SUCCESS', '9223372036854775806'),
    );
    const records = recorder.take();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'INSERT', 'INSERT']);
    const { answer, details } = await published(records);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(details).toEqual(
      expect.arrayContaining([
        detailOf('9007199254740993', 'PENDING', null, null),
        detailOf('9223372036854775807', 'IN_PROGRESS', null, null),
        detailOf('-9223372036854775808', 'SUCCESS', null, '9223372036854775806'),
      ]),
    );
    expect(details).toHaveLength(3);
    // Each change_id is its stream record's eventID.
    expect(details.map((d) => d['change_id']).sort()).toEqual(records.map((r) => r.eventID).sort());
  });

  it('sends PutEvents as AWS JSON 1.1, with the entries exactly as written', () => {
    const [call] = events.calls;
    expect(call?.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(call?.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=status-changes-test\/\d{8}\/us-east-1\/events\/aws4_request/,
    );
    const body = JSON.parse(String(call?.body)) as { Entries: PutEventsEntry[] };
    expect(Object.keys(body)).toEqual(['Entries']);
    for (const entry of body.Entries) {
      expect(Object.keys(entry).sort()).toEqual(['Detail', 'DetailType', 'EventBusName', 'Source', 'Time']);
      expect(entry).toMatchObject({
        Source: 'qradar-restores',
        DetailType: 'Restore Status Changed',
        EventBusName: BUS,
      });
      // A timestamp goes as epoch seconds, the change's own second.
      expect(Number.isInteger(entry.Time)).toBe(true);
    }
    // The whole body, byte for byte: the SDK's member order, no other member, no white space.
    expect(call?.body).toBe(
      JSON.stringify({
        Entries: body.Entries.map(({ Time, Detail }) => ({
          Time,
          Source: 'qradar-restores',
          DetailType: 'Restore Status Changed',
          Detail,
          EventBusName: BUS,
        })),
      }),
    );
    expect(body.Entries.map((entry) => entry.Detail)).toContainEqual(
      expect.stringMatching(
        /^\{"id":"9007199254740993","status":"PENDING","previous_status":null,"time_completed":null,"change_id":"[0-9a-f]{32}"\}$/,
      ),
    );
    // Longs reach the wire as text inside Detail, never as JSON numbers.
    expect(call?.body).toContain(String.raw`\"id\":\"9007199254740993\"`);
    expect(call?.body).toContain(String.raw`\"time_completed\":\"9223372036854775806\"`);
  });

  it('announces nothing for an import that changes nothing, and only the status changes of one that does', async () => {
    await importLines(
      restore('9007199254740993', 'PENDING'),
      restore('9223372036854775807', 'IN_PROGRESS'),
      restore('-9223372036854775808', 'SUCCESS', '9223372036854775806'),
    );
    expect(recorder.take()).toEqual([]);

    await importLines(
      restore('9007199254740993', 'IN_PROGRESS'),
      restore('9223372036854775807', 'FAILED', '1767229200000'),
      restore('-9223372036854775808', 'SUCCESS', '9223372036854775806', 'renamed'),
    );
    const records = recorder.take();
    expect(records.map((r) => r.eventName)).toEqual(['MODIFY', 'MODIFY', 'MODIFY']);
    const { answer, details } = await published(records);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(details.sort((a, b) => String(a['id']).localeCompare(String(b['id'])))).toEqual([
      detailOf('9007199254740993', 'IN_PROGRESS', 'PENDING', null),
      detailOf('9223372036854775807', 'FAILED', 'IN_PROGRESS', '1767229200000'),
    ]);
  });

  it("announces another writer's status change, nothing for a deletion, and skips an item that is no restore", async () => {
    await writer.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { id: { N: '9007199254740993' } },
        UpdateExpression: 'SET #s = :s, time_completed = :t',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'SUCCESS' }, ':t': { N: '-9223372036854775807' } },
      }),
    );
    await writer.send(
      new DeleteItemCommand({ TableName: TABLE, Key: { id: { N: '-9223372036854775808' } } }),
    );
    await writer.send(
      new PutItemCommand({ TableName: TABLE, Item: { id: { N: '66' }, status: { S: 'DONE' } } }),
    );
    const records = recorder.take();
    expect(records.map((r) => r.eventName)).toEqual(['MODIFY', 'REMOVE', 'INSERT']);
    const { answer, details, logged } = await published(records);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(details).toEqual([detailOf('9007199254740993', 'SUCCESS', 'IN_PROGRESS', '-9223372036854775807')]);
    expect(logged.filter((line) => line['level'] === 'WARN')).toEqual([
      expect.objectContaining({
        message: 'stream record skipped: not a readable restore',
        reason: 'status is not one of its enum values',
        eventId: records[2]?.eventID,
      }),
    ]);
  });

  it('hands back a change EventBridge keeps refusing, and publishes it on the retry with the same change_id', async () => {
    await importLines(restore('1', 'PENDING'), restore('2', 'PENDING'), restore('3', 'PENDING'));
    const records = recorder.take();
    const refusedId = records[1]?.dynamodb.NewImage?.['id']?.N;
    events.refuse((entry) =>
      String(entry.Detail).includes(`"id":"${refusedId}"`) ? 'ThrottlingException' : undefined,
    );
    const first = await published(records);
    const failed = records[1]?.dynamodb.SequenceNumber;
    expect(first.answer).toEqual({ batchItemFailures: [{ itemIdentifier: failed }] });
    expect(first.details.map((d) => d['id']).sort()).toEqual(
      records
        .filter((_, i) => i !== 1)
        .map((r) => r.dynamodb.NewImage?.['id']?.N)
        .sort(),
    );

    // Lambda's retry: the batch again from the first record reported; EventBridge is back.
    events.refuse(() => undefined);
    const retry = await published(
      records.filter((r) => BigInt(r.dynamodb.SequenceNumber) >= BigInt(String(failed))),
    );
    expect(retry.answer).toEqual({ batchItemFailures: [] });
    const ids = (list: Record<string, unknown>[]) => list.map((d) => d['id']);
    expect(ids(retry.details)).toEqual([refusedId, records[2]?.dynamodb.NewImage?.['id']?.N]);
    // Record 3 came twice: the same change_id both times, so a consumer drops the repeat.
    const third = (list: Record<string, unknown>[]) =>
      list.find((d) => d['id'] === records[2]?.dynamodb.NewImage?.['id']?.N);
    expect(third(retry.details)?.['change_id']).toBe(third(first.details)?.['change_id']);
  });

  it('hands the finished restores to the watcher through the example rule, which logs them exactly', async () => {
    const rule = JSON.parse(
      await readFile(new URL('../../infra/status-changes.json', import.meta.url), 'utf8'),
    ).Resources.RestoreFinishedRule.Properties.EventPattern as {
      source: string[];
      'detail-type': string[];
      detail: { status: string[] };
    };
    const delivered = events.accepted.map((entry) => deliveredEvent(entry));
    // The rule's pattern, as EventBridge applies it: each field one of its listed values.
    const matching = delivered.filter(
      (event) =>
        rule.source.includes(String(event.source)) &&
        rule['detail-type'].includes(String(event['detail-type'])) &&
        rule.detail.status.includes(String((event.detail as { status: string }).status)),
    );
    expect(matching.map((e) => (e.detail as { id: string }).id).sort()).toEqual(
      ['-9223372036854775808', '9007199254740993', '9223372036854775807'].sort(),
    );
    const output = await captureOutput(() =>
      watch(sqsBatch(...matching.map((e) => JSON.stringify(e))) as SQSEvent),
    );
    expect(settledValue(output)).toEqual({ batchItemFailures: [] });
    const finished = output.console.map(({ args }) => JSON.parse(String(args[0])) as Record<string, unknown>);
    expect(
      finished.map((line) => [line['message'], line['id'], line['status'], line['time_completed']]),
    ).toEqual(
      expect.arrayContaining([
        ['restore finished', '-9223372036854775808', 'SUCCESS', '9223372036854775806'],
        ['restore finished', '9223372036854775807', 'FAILED', '1767229200000'],
        ['restore finished', '9007199254740993', 'SUCCESS', '-9223372036854775807'],
      ]),
    );
    expect(finished).toHaveLength(3);
  });
});

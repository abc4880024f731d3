// Which stream records announce a status change, and the detail they announce: Longs as the
// image's own decimal text, whatever their size; deletions and unchanged statuses announce
// nothing; hostile table content is unreadable, never a throw.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusChangeOf } from '../../../lib/events/status-change.ts';
import { LONG_MAX, LONG_MIN } from '../../../lib/qradar/long.ts';
import { RESTORE_STATUSES } from '../../../lib/restore/fields.ts';

type Image = Record<string, AttributeValue>;

const image = (id: string, status: string | undefined, extra: Image = {}): Image => ({
  id: { N: id },
  initiated_by: { S: 'admin' },
  host_id: { N: '53' },
  time_initiated: { N: '1767225600000' },
  time_completed: { NULL: true },
  ...(status === undefined ? {} : { status: { S: status } }),
  is_cross_deployment_restore: { BOOL: false },
  backup_id: { N: '101' },
  backup_name: { S: 'nightly' },
  backup_version: { S: '7.5.0' },
  backup_type: { S: 'CONFIG' },
  backup_filename: { S: 'backup.tgz' },
  groups: { L: [{ S: 'USERS_CONFIG' }] },
  ...extra,
});

let sequence = 100;
const record = (
  eventName: string,
  images: { OldImage?: Image; NewImage?: Image },
  extra: Record<string, unknown> = {},
) => {
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ApproximateCreationDateTime: 1767225600,
      Keys: { id: (images.NewImage ?? images.OldImage)?.['id'] },
      SequenceNumber: `${sequence}000000000000000000001`,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...images,
    },
    ...extra,
  };
};

describe('statusChangeOf', () => {
  it('announces a new restore with its status, previous_status null, and the change time', () => {
    const inserted = record('INSERT', { NewImage: image('9007199254740993', 'PENDING') });
    expect(statusChangeOf(inserted)).toEqual({
      kind: 'change',
      sequenceNumber: inserted.dynamodb.SequenceNumber,
      detail: {
        id: '9007199254740993',
        status: 'PENDING',
        previous_status: null,
        time_completed: null,
        change_id: inserted.eventID,
      },
      time: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('announces a changed status with the one before it and time_completed as exact text', () => {
    const modified = record('MODIFY', {
      OldImage: image('-9223372036854775808', 'IN_PROGRESS'),
      NewImage: image('-9223372036854775808', 'SUCCESS', { time_completed: { N: '9223372036854775807' } }),
    });
    expect(statusChangeOf(modified)).toMatchObject({
      kind: 'change',
      detail: {
        id: '-9223372036854775808',
        status: 'SUCCESS',
        previous_status: 'IN_PROGRESS',
        time_completed: '9223372036854775807',
        change_id: modified.eventID,
      },
    });
  });

  it('announces nothing for a deletion, an unchanged status, or an item without a status', () => {
    const none = { kind: 'none' };
    expect(statusChangeOf(record('REMOVE', { OldImage: image('1', 'SUCCESS') }))).toEqual(none);
    expect(
      statusChangeOf(
        record('MODIFY', {
          OldImage: image('1', 'IN_PROGRESS'),
          NewImage: image('1', 'IN_PROGRESS', { backup_name: { S: 'renamed' } }),
        }),
      ),
    ).toEqual(none);
    expect(statusChangeOf(record('INSERT', { NewImage: image('1', undefined) }))).toEqual(none);
    expect(
      statusChangeOf(record('INSERT', { NewImage: image('1', undefined, { status: { NULL: true } }) })),
    ).toEqual(none);
    expect(
      statusChangeOf(record('MODIFY', { OldImage: image('1', 'PENDING'), NewImage: image('1', undefined) })),
    ).toEqual(none);
    // A status outside the enum that stays as it was: unchanged, so not even unreadable.
    expect(
      statusChangeOf(
        record('MODIFY', {
          OldImage: image('1', 'DONE'),
          NewImage: image('1', 'DONE', { backup_name: { S: 'renamed' } }),
        }),
      ),
    ).toEqual(none);
  });

  it('announces a repaired status (absent or outside the enum before) with previous_status null', () => {
    for (const before of [
      image('7', undefined),
      image('7', 'DONE'),
      image('7', undefined, { status: { N: '3' } }),
    ])
      expect(
        statusChangeOf(record('MODIFY', { OldImage: before, NewImage: image('7', 'REQUESTING') })),
      ).toMatchObject({ kind: 'change', detail: { id: '7', status: 'REQUESTING', previous_status: null } });
  });

  it('finds records that are no readable restore unreadable, naming why, and keeps well-formed ids only', () => {
    const cases: [unknown, string][] = [
      [record('INSERT', { NewImage: image('1', 'DONE') }), 'status is not one of its enum values'],
      [record('INSERT', { NewImage: image('1', 'PENDING', { id: { S: '1' } }) }), 'id is not a Long'],
      [record('INSERT', { NewImage: image('9223372036854775808', 'PENDING') }), 'id is not a Long'],
      [record('INSERT', { NewImage: image('1.5', 'PENDING') }), 'id is not a Long'],
      [
        record('INSERT', {
          NewImage: image('1', 'PENDING', { time_completed: { Q: '1' } as unknown as AttributeValue }),
        }),
        'an attribute is not a DynamoDB attribute value',
      ],
      [
        record('INSERT', { NewImage: image('1', 'PENDING', { time_completed: { S: 'soon' } }) }),
        'time_completed is not a Long',
      ],
      [record('INSERT', { NewImage: (({ id: _, ...rest }) => rest)(image('1', 'PENDING')) }), 'id is absent'],
      [record('INSERT', {}), 'the record has no NewImage (the stream must carry NEW_AND_OLD_IMAGES)'],
      [
        record('MODIFY', { NewImage: image('1', 'PENDING') }),
        'the record has no OldImage (the stream must carry NEW_AND_OLD_IMAGES)',
      ],
      [record('UPSERT', { NewImage: image('1', 'PENDING') }), 'eventName is not INSERT, MODIFY or REMOVE'],
      [record('INSERT', { NewImage: image('1', 'PENDING') }, { eventID: '' }), 'the record has no eventID'],
    ];
    for (const [input, reason] of cases)
      expect(statusChangeOf(input), reason).toMatchObject({ kind: 'unreadable', reason });
    const noSequence = record('INSERT', { NewImage: image('1', 'PENDING') });
    (noSequence.dynamodb as { SequenceNumber?: unknown }).SequenceNumber = '12\u001b[31m';
    expect(statusChangeOf(noSequence)).toEqual({
      kind: 'unreadable',
      reason: 'the record has no SequenceNumber',
      eventId: noSequence.eventID,
      sequenceNumber: undefined,
    });
  });

  it('announces a status change even when an attribute the event does not carry is malformed', () => {
    for (const extra of [
      { groups: { L: [{ S: 'NOPE' }] } },
      { host_id: { Q: '1' } as unknown as AttributeValue },
      { backup_name: { N: '7' } },
    ]) {
      expect(statusChangeOf(record('INSERT', { NewImage: image('1', 'PENDING', extra) }))).toMatchObject({
        kind: 'change',
        detail: { id: '1', status: 'PENDING', previous_status: null },
      });
    }
  });

  it('leaves Time unset when the record gives no plausible change time', () => {
    for (const seconds of [undefined, 'soon', -1, 1767225600000, Number.NaN]) {
      const inserted = record('INSERT', { NewImage: image('1', 'PENDING') });
      (inserted.dynamodb as { ApproximateCreationDateTime?: unknown }).ApproximateCreationDateTime = seconds;
      expect(statusChangeOf(inserted)).toMatchObject({ kind: 'change', time: undefined });
    }
  });

  it('reads anything at all without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(['change', 'none', 'unreadable']).toContain(statusChangeOf(value).kind);
      }),
    );
    for (const value of [
      null,
      undefined,
      1,
      'x',
      [],
      { dynamodb: [] },
      { eventName: 'INSERT', dynamodb: null },
    ])
      expect(statusChangeOf(value).kind).toBe('unreadable');
  });
});

describe('statusChangeOf, over random images (property)', () => {
  /** Longs near both limits, near 2^53 and anywhere between. */
  const long = fc.oneof(
    fc.bigInt({ min: LONG_MIN, max: LONG_MIN + 2n ** 16n }),
    fc.bigInt({ min: LONG_MAX - 2n ** 16n, max: LONG_MAX }),
    fc.bigInt({ min: 2n ** 53n - 2n ** 8n, max: 2n ** 53n + 2n ** 8n }),
    fc.bigInt({ min: LONG_MIN, max: LONG_MAX }),
  );
  const status = fc.option(fc.constantFrom(...RESTORE_STATUSES), { nil: undefined });
  const completed = fc.option(long, { nil: undefined });
  const restoreImage = fc.record({ id: long, status, completed, hostId: long });
  const toImage = (r: {
    id: bigint;
    status: string | undefined;
    completed: bigint | undefined;
    hostId: bigint;
  }) =>
    image(String(r.id), r.status, {
      host_id: { N: String(r.hostId) },
      time_completed: r.completed === undefined ? { NULL: true } : { N: String(r.completed) },
    });

  it('announces exactly the status changes, with every Long equal to the image text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('INSERT', 'MODIFY', 'REMOVE'),
        restoreImage,
        restoreImage,
        (eventName, before, afterFields) => {
          const after = { ...afterFields, id: before.id }; // one item: one key
          const images =
            eventName === 'INSERT'
              ? { NewImage: toImage(after) }
              : eventName === 'REMOVE'
                ? { OldImage: toImage(before) }
                : { OldImage: toImage(before), NewImage: toImage(after) };
          const input = record(eventName, images);
          const outcome = statusChangeOf(input);
          const changed =
            eventName !== 'REMOVE' &&
            after.status !== undefined &&
            (eventName === 'INSERT' || before.status !== after.status);
          if (!changed) {
            expect(outcome).toEqual({ kind: 'none' });
            return;
          }
          const newImage = images.NewImage as Image;
          expect(outcome).toEqual({
            kind: 'change',
            sequenceNumber: input.dynamodb.SequenceNumber,
            detail: {
              id: newImage['id']?.N,
              status: after.status,
              previous_status: eventName === 'MODIFY' ? (before.status ?? null) : null,
              time_completed: newImage['time_completed']?.N ?? null,
              change_id: input.eventID,
            },
            time: expect.any(Date),
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

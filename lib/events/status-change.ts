// What one record of the restores table's stream announces (contract section 14, "Announced"):
// the change of a restore's status it carries, nothing, or why it cannot be read. A pure
// function of the record: the stream is written by DynamoDB, but the items in it by anyone
// (import, sync, a console), so each image is checked as the read path checks an item.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { RESTORE_STATUSES, type RestoreStatus } from '../restore/fields.ts';
import { checkRestore, RecordError } from '../restore/restore.ts';

/** The EventBridge source and detail-type of every announcement. */
export const EVENT_SOURCE = 'qradar-restores';
export const DETAIL_TYPE = 'Restore Status Changed';

/** The event's detail: Longs as decimal text, so any consumer reads them exactly. */
export interface StatusChangeDetail {
  readonly id: string;
  readonly status: RestoreStatus;
  /** null for a new restore, or one whose stored status was absent or not in the enum. */
  readonly previous_status: RestoreStatus | null;
  readonly time_completed: string | null;
  /** The stream record's eventID: the same on every delivery of one change, so repeats can be dropped. */
  readonly change_id: string;
}

export interface StatusChange {
  readonly kind: 'change';
  /** The record's SequenceNumber: what Lambda is told to retry from. */
  readonly sequenceNumber: string;
  readonly detail: StatusChangeDetail;
  /** When DynamoDB wrote the change, when the record says so plausibly. */
  readonly time: Date | undefined;
}

/** A record that announces nothing: a deletion, an unchanged status, no status at all. */
export interface NoChange {
  readonly kind: 'none';
}

/** A record that cannot be read; skipped and logged with these (only well-formed ids are kept). */
export interface Unreadable {
  readonly kind: 'unreadable';
  readonly reason: string;
  readonly eventId: string | undefined;
  readonly sequenceNumber: string | undefined;
}

export type RecordOutcome = StatusChange | NoChange | Unreadable;

/** The attributes an announcement carries: the only ones it needs to be readable. */
const ANNOUNCED = ['id', 'status', 'time_completed'] as const;

const NONE: NoChange = Object.freeze({ kind: 'none' });
const statuses: ReadonlySet<unknown> = new Set(RESTORE_STATUSES);

// Lambda's eventIDs are 32 hex digits and sequence numbers decimal: anything far from that
// shape is not logged or echoed, whatever else it holds.
const EVENT_ID = /^[\x21-\x7e]{1,128}$/;
const SEQUENCE_NUMBER = /^[0-9]{1,64}$/;
/** Seconds since the epoch between 2001 and 2286: a plausible time for a change. */
const SECONDS = { min: 1e9, max: 1e10 } as const;

type Image = Record<string, AttributeValue>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const textMatching = (value: unknown, pattern: RegExp): string | undefined =>
  typeof value === 'string' && pattern.test(value) ? value : undefined;

/** The enum status an image holds as a String, or null (absent, NULL, another type, another value). */
const statusIn = (image: Image | undefined): RestoreStatus | null => {
  const value = (image?.['status'] as { S?: unknown } | undefined)?.S;
  return statuses.has(value) ? (value as RestoreStatus) : null;
};

/** True when the image holds a status attribute at all (NULL counts as none). */
const hasStatus = (image: Image): boolean => {
  const value = image['status'];
  return isObject(value) && !('NULL' in value);
};

const timeOf = (seconds: unknown): Date | undefined =>
  typeof seconds === 'number' && seconds >= SECONDS.min && seconds < SECONDS.max
    ? new Date(seconds * 1000)
    : undefined;

/** The change a stream record (NEW_AND_OLD_IMAGES) carries; never throws. */
export const statusChangeOf = (record: unknown): RecordOutcome => {
  const fields = isObject(record) ? record : {};
  const stream = isObject(fields['dynamodb']) ? fields['dynamodb'] : {};
  const eventId = textMatching(fields['eventID'], EVENT_ID);
  const sequenceNumber = textMatching(stream['SequenceNumber'], SEQUENCE_NUMBER);
  const unreadable = (reason: string): Unreadable => ({
    kind: 'unreadable',
    reason,
    eventId,
    sequenceNumber,
  });

  const eventName = fields['eventName'];
  if (eventName === 'REMOVE') return NONE;
  if (eventName !== 'INSERT' && eventName !== 'MODIFY')
    return unreadable('eventName is not INSERT, MODIFY or REMOVE');
  if (eventId === undefined) return unreadable('the record has no eventID');
  if (sequenceNumber === undefined) return unreadable('the record has no SequenceNumber');
  const newImage = stream['NewImage'];
  const oldImage = stream['OldImage'];
  if (!isObject(newImage))
    return unreadable('the record has no NewImage (the stream must carry NEW_AND_OLD_IMAGES)');
  if (eventName === 'MODIFY' && !isObject(oldImage))
    return unreadable('the record has no OldImage (the stream must carry NEW_AND_OLD_IMAGES)');

  const after = newImage as Image;
  const before = eventName === 'MODIFY' ? (oldImage as Image) : undefined;
  // No status now: nothing to announce (the detail's status is never null).
  if (!hasStatus(after)) return NONE;
  // The same attribute value before and after: unchanged, whatever it holds. A status that
  // was absent or outside the enum and is now valid is a change (the lifecycle's repair),
  // announced with null before it.
  if (before !== undefined && JSON.stringify(before['status']) === JSON.stringify(after['status']))
    return NONE;
  const status = statusIn(after);
  const previous = statusIn(before);

  let restore: ReturnType<typeof checkRestore>;
  try {
    // Only what the event carries is checked: a malformed attribute elsewhere (another
    // writer's) must not cost the announcement of a real status change. Numbers wrapped:
    // each Long keeps the decimal text of its N, never a double.
    const carried = Object.fromEntries(
      ANNOUNCED.filter((name) => name in after).map((name) => [name, after[name]]),
    );
    restore = checkRestore(unmarshall(carried as Image, { wrapNumbers: true }));
  } catch (error) {
    // The checker's reasons name a field; the converter's could echo the record: not logged.
    return unreadable(
      error instanceof RecordError ? error.message : 'an attribute is not a DynamoDB attribute value',
    );
  }
  if (restore.id === undefined || restore.id === null) return unreadable('id is absent');
  if (status === null) return unreadable('status is not one of its enum values');
  const completed = restore.time_completed;
  return {
    kind: 'change',
    sequenceNumber,
    detail: {
      id: restore.id.toString(),
      status,
      previous_status: previous,
      time_completed: completed === undefined || completed === null ? null : completed.toString(),
      change_id: eventId,
    },
    time: timeOf(stream['ApproximateCreationDateTime']),
  };
};

// A `Restore Status Changed` event as a consumer receives it (the EventBridge envelope, here
// from an SQS message body), checked field by field: a queue takes messages from whoever may
// send to it, so nothing in one is trusted until it reads as the publisher writes it.

import { parseLong } from '../qradar/long.ts';
import { RESTORE_STATUSES } from '../restore/fields.ts';
import { DETAIL_TYPE, EVENT_SOURCE, type StatusChangeDetail } from './status-change.ts';

/** Far above any event the publisher writes (about 200 bytes), far below SQS's 256 KiB. */
const MAX_BODY = 16 * 1024;
const CHANGE_ID = /^[\x21-\x7e]{1,128}$/;
const statuses: ReadonlySet<unknown> = new Set(RESTORE_STATUSES);

export type ReadEvent = { readonly detail: StatusChangeDetail } | { readonly reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Long as the publisher writes it: canonical decimal text, so no two spellings of one id. */
const isLongText = (value: unknown): value is string =>
  typeof value === 'string' && parseLong(value)?.toString() === value;

/** The detail of the event `body` holds, or why it holds none. */
export const readStatusChangeEvent = (body: unknown): ReadEvent => {
  if (typeof body !== 'string') return { reason: 'the body is not text' };
  if (body.length > MAX_BODY) return { reason: 'the body is too large for an event' };
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return { reason: 'the body is not JSON' };
  }
  if (!isObject(event)) return { reason: 'the body is not an event' };
  if (event['source'] !== EVENT_SOURCE || event['detail-type'] !== DETAIL_TYPE)
    return { reason: `the event is not ${EVENT_SOURCE}'s ${DETAIL_TYPE}` };
  const detail = event['detail'];
  if (!isObject(detail)) return { reason: 'the event has no detail' };
  const { id, status, previous_status, time_completed, change_id } = detail;
  if (!isLongText(id)) return { reason: 'id is not a Long' };
  if (!statuses.has(status)) return { reason: 'status is not one of its enum values' };
  if (previous_status !== null && !statuses.has(previous_status))
    return { reason: 'previous_status is not one of its enum values or null' };
  if (time_completed !== null && !isLongText(time_completed))
    return { reason: 'time_completed is not a Long or null' };
  if (typeof change_id !== 'string' || !CHANGE_ID.test(change_id))
    return { reason: 'change_id is not an id' };
  return {
    detail: {
      id,
      status: status as StatusChangeDetail['status'],
      previous_status: previous_status as StatusChangeDetail['previous_status'],
      time_completed,
      change_id,
    },
  };
};

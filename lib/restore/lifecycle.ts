// The forward-only lifecycle rule (contract section 14): a restore's status only moves forward,
// PENDING < REQUESTING < INITIALIZING < IN_PROGRESS < FAILED = SUCCESS. A stored status that is
// absent or not one of these ranks lowest, so any writer can repair it. Every writer of the
// table (the import, the sync) enforces it in the write itself, as a DynamoDB condition.

import { RESTORE_STATUSES, type RestoreStatus } from './fields.ts';

const RANK: { readonly [S in RestoreStatus]: number } = {
  PENDING: 0,
  REQUESTING: 1,
  INITIALIZING: 2,
  IN_PROGRESS: 3,
  FAILED: 4,
  SUCCESS: 4,
};

/** A status's place in the lifecycle; -1 for an absent or unknown one. */
export const statusRank = (status: unknown): number =>
  typeof status === 'string' && Object.hasOwn(RANK, status) ? RANK[status as RestoreStatus] : -1;

/** True when writing `next` over `stored` would move the restore backwards. */
export const movesBackwards = (stored: unknown, next: unknown): boolean =>
  statusRank(next) < statusRank(stored);

/** The statuses that rank above `status`: a stored one among them refuses a write of `status`. */
export const statusesAbove = (status: unknown): RestoreStatus[] =>
  RESTORE_STATUSES.filter((s) => RANK[s] > statusRank(status));

export interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * The condition under which a put of a restore with `status` keeps the lifecycle forward: the
 * stored status is none of those ranked above it (so an absent or unknown one lets it through,
 * and a missing item too). Undefined when nothing ranks above it: the put needs no condition.
 */
export const forwardOnly = (status: unknown): Condition | undefined => {
  const above = statusesAbove(status);
  if (above.length === 0) return undefined;
  return {
    ConditionExpression: `NOT (#status IN (${above.map((_, i) => `:above${i}`).join(', ')}))`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: Object.fromEntries(above.map((s, i) => [`:above${i}`, s])),
  };
};

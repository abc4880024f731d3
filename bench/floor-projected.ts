// The floor plus the one thing the contract adds to the store's work: the GetItem carries the
// ProjectionExpression of every restore field, as ours does when no fields are selected.
// It tells the store's cost of that projection apart from our own code's.

import { RESTORE_FIELDS } from '../lib/restore.ts';
import { createFloor, floorClient } from './floor.ts';

export const PROJECTION = {
  ProjectionExpression: RESTORE_FIELDS.map((_, i) => `#a${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(RESTORE_FIELDS.map((name, i) => [`#a${i}`, name])),
};

export const handler = createFloor(floorClient(), PROJECTION);

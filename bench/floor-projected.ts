// The floor plus the one thing the contract adds to the store's work: the GetItem carries the
// ProjectionExpression of every restore field, as ours does when no fields are selected.
// It tells the store's cost of that projection apart from our own code's.

import { RESTORE_FIELDS } from '../lib/restore/fields.ts';
import { projectionOf } from '../lib/store/read.ts';
import { createFloor, floorClient } from './floor.ts';

const PROJECTION = projectionOf(RESTORE_FIELDS);

export const handler = createFloor(floorClient(), PROJECTION);

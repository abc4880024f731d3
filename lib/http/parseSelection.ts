import { type Shape, selectFields } from '../qradar/projection.ts';
import type { Middleware } from './event.ts';

/** The `fields` parameter (contract section 4) read against the endpoint's shape: 422 code 30 or 31. */
export const parseSelection = (shape: Shape): Middleware => ({
  before: ({ event }) => {
    event.selection = selectFields(event.rawFields, shape);
  },
});

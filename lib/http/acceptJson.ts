import { notAcceptable } from '../qradar/errors.ts';
import { acceptsJson } from './accept.ts';
import type { Middleware } from './event.ts';

/** An `Accept` that admits no JSON: 406 code 1 (contract section 2). */
export const acceptJson = (): Middleware => ({
  before: ({ event }) => {
    if (event.caller === 'http' && !acceptsJson(event.headers['accept'])) throw notAcceptable();
  },
});

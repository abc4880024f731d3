import type { Middleware } from '../http/event.ts';
import { readId } from './id.ts';

/** The restore id: the route's {id} for HTTP callers, the payload's id for direct ones. */
export const parseId = (): Middleware => ({
  before: ({ event }) => {
    event.id = readId(event.route?.kind === 'endpoint' ? event.route.params['id'] : event.rawId);
  },
});

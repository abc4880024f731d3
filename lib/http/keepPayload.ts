import type { Middleware } from './event.ts';

/** Where keepPayload leaves the event as the caller sent it, in middy's request.internal. */
export const PAYLOAD = 'payload';

/**
 * Keeps the event as sent, before eventShape reads it into an ApiEvent: a direct invocation
 * of the list carries parameters (filter, sort, range) that the ApiEvent does not.
 */
export const keepPayload = (): Middleware => ({
  before: (request) => {
    (request.internal as Record<string, unknown>)[PAYLOAD] = request.event;
  },
});

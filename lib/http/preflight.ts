import { EarlyAnswer } from './answer.ts';
import { preflight as preflightAnswer } from './cors.ts';
import type { Middleware } from './event.ts';

/**
 * A CORS preflight from an allowed origin to a path under /api (a path segment) is answered
 * before anything else (contract 11.6); elsewhere (`/`, `/apix`, `/api_doc`) it is an ordinary request.
 */
export const preflight = (allowedOrigins: ReadonlySet<string>): Middleware => ({
  before: ({ event }) => {
    if (event.caller !== 'http' || event.apiSegments === undefined) return;
    const answer = preflightAnswer(event.method, event.headers, allowedOrigins);
    if (answer !== undefined) throw new EarlyAnswer(answer);
  },
});

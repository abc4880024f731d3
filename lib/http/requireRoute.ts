import { methodNotAllowed, unknownEndpoint } from '../qradar/errors.ts';
import type { ApiEvent, Middleware } from './event.ts';

/**
 * The path after /api, as QRadar's code 4 message names it: built from the segments decoded
 * once, so every event source names a path alike; the whole path outside /api.
 */
const relativePath = ({ apiSegments, path }: ApiEvent): string =>
  apiSegments === undefined ? path : apiSegments.map((segment) => `/${segment}`).join('');

/** 404 code 4 or 405 code 5 for what authorize found no endpoint for (contract 11.5). */
export const requireRoute = (): Middleware => ({
  before: ({ event }) => {
    const match = event.route;
    if (event.caller !== 'http' || match === undefined || match.kind === 'endpoint') return;
    if (match.kind === 'wrongMethod') throw methodNotAllowed(event.method, match.route.path);
    throw unknownEndpoint(relativePath(event));
  },
});

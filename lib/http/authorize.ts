import { forbidden } from '../qradar/errors.ts';
import type { Middleware } from './event.ts';
import { matchRoute, type Route } from './routes.ts';

/**
 * Finds the endpoint the path and method name, and refuses (403) a caller whose capabilities
 * do not reach it. A path or method that names no endpoint is refused later, by requireRoute,
 * after Version and Accept (contract section 5's order).
 */
export const authorize = (routes: readonly Route[]): Middleware => ({
  before: ({ event }) => {
    if (event.caller !== 'http') return;
    const match = matchRoute(routes, event.method, event.apiSegments);
    event.route = match;
    const needed = match.kind === 'endpoint' ? match.route.capabilities : undefined;
    const held = event.principal?.capabilities ?? new Set<string>();
    if (needed !== undefined && ![...held].some((capability) => needed.has(capability))) throw forbidden();
  },
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HELP_ROUTES, LIST_ROUTE, matchRoute, RESTORE_ROUTE, ROUTES } from '../../../lib/http/routes.ts';

const segments = (path: string) => path.split('/').slice(1);

describe('matchRoute', () => {
  it('finds an endpoint and its path parameters, for GET and HEAD', () => {
    for (const method of ['GET', 'HEAD']) {
      expect(matchRoute(ROUTES, method, segments('/backup_and_restore/restores/42'))).toEqual({
        kind: 'endpoint',
        route: RESTORE_ROUTE,
        params: { id: '42' },
      });
    }
    const match = matchRoute(ROUTES, 'GET', segments('/help/versions/3'));
    expect(match.kind === 'endpoint' && [match.route.name, match.params['id']]).toEqual(['getVersion', '3']);
    expect(matchRoute(ROUTES, 'GET', segments('/help/versions'))).toMatchObject({
      route: { name: 'listVersions' },
    });
    expect(matchRoute(ROUTES, 'HEAD', segments('/backup_and_restore/restores'))).toEqual({
      kind: 'endpoint',
      route: LIST_ROUTE,
      params: {},
    });
    expect(matchRoute(ROUTES, 'POST', segments('/backup_and_restore/restores'))).toEqual({
      kind: 'wrongMethod',
      route: LIST_ROUTE,
    });
  });

  it('tells a known path with another method from a path that names nothing', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      expect(matchRoute(ROUTES, method, segments('/backup_and_restore/restores/1'))).toEqual({
        kind: 'wrongMethod',
        route: RESTORE_ROUTE,
      });
    }
    for (const path of [
      '/backup_and_restore',
      '/backup_and_restore/restores/',
      '/backup_and_restore/restores/1/',
      '/backup_and_restore/restores/1/x',
      '/help',
      '/Help/versions',
      '',
    ]) {
      expect(matchRoute(ROUTES, 'GET', segments(path)), path).toEqual({ kind: 'noEndpoint' });
    }
    expect(matchRoute(ROUTES, 'GET', undefined)).toEqual({ kind: 'noEndpoint' });
  });

  it('matches only the routes it is given', () => {
    expect(matchRoute(HELP_ROUTES, 'GET', segments('/backup_and_restore/restores/1'))).toEqual({
      kind: 'noEndpoint',
    });
  });

  it('matches a path that fills a route template with any non-empty parameter, and nothing else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROUTES),
        fc.string(),
        fc.option(fc.tuple(fc.nat(), fc.string()), { nil: undefined }),
        fc.constantFrom('GET', 'HEAD', 'POST'),
        (route, value, change, method) => {
          const template = route.path.split('/').slice(1);
          const parts = template.map((part) => (part.startsWith('{') ? value : part));
          // Now and then one literal segment replaced by anything: then the path names nothing.
          const literal = template.flatMap((part, i) => (part.startsWith('{') ? [] : [i]));
          const at = change === undefined ? undefined : literal[change[0] % literal.length];
          if (change !== undefined && at !== undefined) parts[at] = change[1];
          const changed = at !== undefined && parts[at] !== template[at];
          const match = matchRoute(ROUTES, method, parts);
          if (changed || (route.path.includes('{') && value === '')) {
            expect(match.kind === 'noEndpoint' || match.route !== route).toBe(true);
          } else if (method === 'POST') {
            expect(match).toEqual({ kind: 'wrongMethod', route });
          } else {
            expect(match).toMatchObject({ kind: 'endpoint', route });
            if (match.kind === 'endpoint' && route.path.includes('{')) expect(match.params['id']).toBe(value);
          }
        },
      ),
    );
  });
});

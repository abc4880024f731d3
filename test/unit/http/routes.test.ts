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

  it('matches any non-empty id segment, and nothing else, whatever the segments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 6 }),
        fc.constantFrom('GET', 'HEAD', 'POST'),
        (parts, method) => {
          const match = matchRoute(ROUTES, method, parts);
          if (match.kind === 'noEndpoint') return;
          const template = match.route.path.split('/').slice(1);
          expect(template).toHaveLength(parts.length);
          template.forEach((part, i) => {
            if (part.startsWith('{')) expect(parts[i]).not.toBe('');
            else expect(parts[i]).toBe(part);
          });
        },
      ),
    );
  });
});

// The endpoints this service serves below /api (contract sections 6, 11.2 and 11.5): the path
// templates, their methods and who may call them. Small on purpose: the restore function
// bundles it; the documentation of each endpoint lives in lib/help/api-description.ts.

/** Every endpoint serves GET, and HEAD answers as GET without a body (contract 11.5). */
export const ENDPOINT_METHODS: readonly string[] = ['GET', 'HEAD'];
export const ALLOW_HEADER = ENDPOINT_METHODS.join(', ');

/** The capabilities that may read restores (contract section 6). */
export const READ_CAPABILITIES: ReadonlySet<string> = new Set(['BACKUP', 'ADMIN']);

export type RouteName =
  | 'getRestore'
  | 'listRestores'
  | 'listEndpoints'
  | 'getEndpoint'
  | 'listResources'
  | 'getResource'
  | 'listVersions'
  | 'getVersion';

export interface Route {
  readonly name: RouteName;
  /** Below /api, with QRadar's braces: /backup_and_restore/restores/{id}. */
  readonly path: string;
  /** Capabilities of which the caller needs one; undefined: any valid credentials (help). */
  readonly capabilities?: ReadonlySet<string>;
}

export const RESTORE_ROUTE: Route = {
  name: 'getRestore',
  path: '/backup_and_restore/restores/{id}',
  capabilities: READ_CAPABILITIES,
};

/** The restores list (contract 13): the same capabilities as one restore. */
export const LIST_ROUTE: Route = {
  name: 'listRestores',
  path: '/backup_and_restore/restores',
  capabilities: READ_CAPABILITIES,
};

export const HELP_ROUTES: readonly Route[] = [
  { name: 'listEndpoints', path: '/help/endpoints' },
  { name: 'getEndpoint', path: '/help/endpoints/{id}' },
  { name: 'listResources', path: '/help/resources' },
  { name: 'getResource', path: '/help/resources/{id}' },
  { name: 'listVersions', path: '/help/versions' },
  { name: 'getVersion', path: '/help/versions/{id}' },
];

// A pure call, not a spread (which esbuild must assume has effects): a bundle that does not
// use ROUTES leaves it, and the routes it lists, out.
export const ROUTES: readonly Route[] = /* @__PURE__ */ [RESTORE_ROUTE, LIST_ROUTE].concat(HELP_ROUTES);

/** Where a request's path and method lead. */
export type RouteMatch =
  | {
      readonly kind: 'endpoint';
      readonly route: Route;
      /** Path parameters by name, each segment decoded exactly once. */
      readonly params: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'wrongMethod'; readonly route: Route }
  | { readonly kind: 'noEndpoint' };

const NO_ENDPOINT: RouteMatch = { kind: 'noEndpoint' };

// Each route's template segments, split once rather than on every request.
const templates = new WeakMap<Route, readonly string[]>();
const templateOf = (route: Route): readonly string[] => {
  let template = templates.get(route);
  if (template === undefined) {
    template = route.path.split('/').slice(1);
    templates.set(route, template);
  }
  return template;
};

/**
 * Matches path segments below /api against the routes: a literal segment matches itself,
 * `{name}` any one non-empty segment. Nothing else: no trailing slash, no greedy match.
 */
export const matchRoute = (
  routes: readonly Route[],
  method: string,
  segments: readonly string[] | undefined,
): RouteMatch => {
  if (segments === undefined) return NO_ENDPOINT;
  for (const route of routes) {
    const template = templateOf(route);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = Object.create(null);
    const matched = template.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith('{')) {
        params[part.slice(1, -1)] = segment;
        return segment !== '';
      }
      return part === segment;
    });
    if (!matched) continue;
    return ENDPOINT_METHODS.includes(method)
      ? { kind: 'endpoint', route, params }
      : { kind: 'wrongMethod', route };
  }
  return NO_ENDPOINT;
};

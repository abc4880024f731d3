// QRadar's help endpoints (contract 11.2): versions, resources and endpoints, as lists (with
// fields, filter and Range) and by id (with fields), built from lib/help/api-description.ts.

import { Answer } from '../http/answer.ts';
import type { ApiEvent, Principal } from '../http/event.ts';
import type { Route, RouteName } from '../http/routes.ts';
import { helpObjectNotFound, invalidPathParameter } from '../qradar/errors.ts';
import { type FilterShape, matches, parseFilter, type ValueType } from '../qradar/filter.ts';
import { parseLong } from '../qradar/long.ts';
import { project, type Shape, selectFields } from '../qradar/projection.ts';
import { parseRange, sliceList } from '../qradar/range.ts';
import { callableVersions, type VersionTable } from '../qradar/version.ts';
import { ENDPOINTS, type EndpointDoc, HTTP_REASONS, NOT_FOUND_DESCRIPTIONS } from './api-description.ts';

type HelpObject = Readonly<Record<string, unknown>>;

/**
 * A help object's fields, each once: a value type that `filter` compares, `list` for an array
 * of values, or the shape of the objects an array holds (`fields` selects inside them; `filter`
 * tests the array for null only).
 */
type HelpFields = Readonly<Record<string, ValueType | 'list' | Shape>>;

interface HelpKind {
  readonly what: keyof typeof NOT_FOUND_DESCRIPTIONS;
  readonly shape: Shape;
  readonly filterShape: FilterShape;
  readonly list: (context: HelpContext) => readonly HelpObject[];
}

const helpKind = (what: HelpKind['what'], fields: HelpFields, list: HelpKind['list']): HelpKind => ({
  what,
  shape: Object.fromEntries(
    Object.entries(fields).map(([name, type]) => [name, typeof type === 'string' ? null : type]),
  ),
  filterShape: Object.fromEntries(
    Object.entries(fields).map(([name, type]) => [name, typeof type === 'string' ? type : 'list']),
  ),
  list,
});

interface HelpContext {
  readonly version: string;
  readonly versions: VersionTable;
  readonly principal: Principal | undefined;
}

const leaves = (...names: string[]): Shape => Object.fromEntries(names.map((name) => [name, null]));

/** Resources: every prefix of an endpoint path, in order of first appearance. */
const RESOURCE_PATHS: readonly string[] = [
  ...new Set(
    ENDPOINTS.flatMap(({ route }) => {
      const parts = route.path.split('/').slice(1);
      return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
    }),
  ),
];
const resourceId = (path: string): number => RESOURCE_PATHS.indexOf(path) + 1;
const parentOf = (path: string): string | undefined => {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : undefined;
};
const ROOT_RESOURCE_IDS = RESOURCE_PATHS.filter((path) => parentOf(path) === undefined).map(resourceId);

const resources = ({ version }: HelpContext): HelpObject[] =>
  RESOURCE_PATHS.map((path) => {
    const parent = parentOf(path);
    return {
      id: resourceId(path),
      resource: path.slice(path.lastIndexOf('/') + 1),
      path,
      parent_resource_id: parent === undefined ? null : resourceId(parent),
      child_resource_ids: RESOURCE_PATHS.filter((child) => parentOf(child) === path).map(resourceId),
      endpoint_ids: ENDPOINTS.flatMap((endpoint, i) => (endpoint.route.path === path ? [i + 1] : [])),
      version,
    };
  });

const versions = ({ versions: table }: HelpContext): HelpObject[] =>
  callableVersions(table).map(({ version, deprecated }, i) => ({
    id: i + 1,
    version,
    deprecated,
    removed: false,
    root_resource_ids: ROOT_RESOURCE_IDS,
  }));

const hasAccess = (route: Route, principal: Principal | undefined): boolean => {
  const needed = route.capabilities;
  if (needed === undefined) return principal !== undefined;
  return [...(principal?.capabilities ?? [])].some((capability) => needed.has(capability));
};

const endpointObject = (doc: EndpointDoc, id: number, context: HelpContext): HelpObject => ({
  id,
  summary: doc.summary,
  description: doc.description,
  http_method: 'GET',
  path: doc.route.path,
  version: context.version,
  // Documented identically since the oldest callable version (contract 11.1).
  last_modified_version: callableVersions(context.versions)[0]?.version ?? context.version,
  deprecated: false,
  resource_id: resourceId(doc.route.path),
  parameters: doc.parameters.map((parameter) => ({
    parameter_name: parameter.name,
    type: parameter.kind,
    description: parameter.description,
    default_value: parameter.defaultValue,
    mime_types: [{ data_type: parameter.dataType, mime_type: 'text/plain', sample: parameter.sample }],
  })),
  success_responses: [
    {
      response_code: 200,
      response_code_description: HTTP_REASONS[200],
      description: doc.responseDescription,
    },
  ],
  error_responses: doc.errors.map((error) => ({
    response_code: error.status,
    unique_code: error.code,
    response_code_description: HTTP_REASONS[error.status] ?? '',
    description: error.description,
  })),
  response_mime_types: [
    { mime_type: 'application/json', media_type: 'application/json', sample: doc.sample },
  ],
  response_description: doc.responseDescription,
  caller_has_access: hasAccess(doc.route, context.principal),
});

const endpoints = (context: HelpContext): HelpObject[] =>
  ENDPOINTS.map((doc, i) => endpointObject(doc, i + 1, context));

const VERSION = helpKind(
  'version',
  { id: 'number', version: 'string', deprecated: 'boolean', removed: 'boolean', root_resource_ids: 'list' },
  versions,
);
const RESOURCE = helpKind(
  'resource',
  {
    id: 'number',
    resource: 'string',
    path: 'string',
    parent_resource_id: 'number',
    child_resource_ids: 'list',
    endpoint_ids: 'list',
    version: 'string',
  },
  resources,
);
const ENDPOINT = helpKind(
  'endpoint',
  {
    id: 'number',
    summary: 'string',
    description: 'string',
    http_method: 'string',
    path: 'string',
    version: 'string',
    last_modified_version: 'string',
    deprecated: 'boolean',
    resource_id: 'number',
    parameters: {
      ...leaves('parameter_name', 'type', 'description', 'default_value'),
      mime_types: leaves('data_type', 'mime_type', 'sample'),
    },
    success_responses: leaves('response_code', 'response_code_description', 'description'),
    error_responses: leaves('response_code', 'unique_code', 'response_code_description', 'description'),
    response_mime_types: leaves('mime_type', 'media_type', 'sample'),
    response_description: 'string',
    caller_has_access: 'boolean',
  },
  endpoints,
);

const KINDS: Readonly<Partial<Record<RouteName, { readonly kind: HelpKind; readonly single: boolean }>>> = {
  listEndpoints: { kind: ENDPOINT, single: false },
  getEndpoint: { kind: ENDPOINT, single: true },
  listResources: { kind: RESOURCE, single: false },
  getResource: { kind: RESOURCE, single: true },
  listVersions: { kind: VERSION, single: false },
  getVersion: { kind: VERSION, single: true },
};

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

/**
 * The answer of a help endpoint, its checks in contract section 5's order: the path id (11),
 * fields (31, 30), filter (12), Range (36), then the lookup (1002).
 */
export const answerHelp = (
  event: ApiEvent,
  name: RouteName,
  params: Readonly<Record<string, string>>,
  context: Omit<HelpContext, 'principal'>,
): Answer => {
  const entry = KINDS[name];
  if (entry === undefined) throw new Error(`${name} is not a help endpoint`);
  const { kind, single } = entry;
  const all = kind.list({ ...context, principal: event.principal });
  const rawFields = event.query['fields'];
  if (single) {
    const rawId = params['id'] ?? '';
    // An Integer as Java's Integer.parseInt reads it: sign, digits, leading zeros allowed.
    const id = parseLong(rawId);
    if (id === undefined || id < INT_MIN || id > INT_MAX) throw invalidPathParameter('id', rawId);
    const selection = selectFields(rawFields, kind.shape);
    const found = all.find((object) => object['id'] === Number(id));
    if (found === undefined) {
      throw helpObjectNotFound(
        `No ${kind.what} documentation object was found with the id ${id}.`,
        NOT_FOUND_DESCRIPTIONS[kind.what],
      );
    }
    return new Answer(project(found, selection), {});
  }
  const selection = selectFields(rawFields, kind.shape);
  const filter = parseFilter(event.query['filter'] ?? '', kind.filterShape);
  const range = parseRange(event.headers['range']);
  const { items, contentRange } = sliceList(
    filter === undefined ? all : all.filter((object) => matches(filter, object)),
    range,
  );
  return new Answer(project(items, selection), { 'Content-Range': contentRange });
};

// The one description of this service's API: every endpoint's summary, parameters and
// responses. The help endpoints (lib/help/help.ts) serve it as QRadar's documentation objects, and
// scripts/openapi.ts writes docs/openapi.json from it, so help, OpenAPI and code agree.

import { HELP_ROUTES, LIST_ROUTE, RESTORE_ROUTE, type Route } from '../http/routes.ts';
import { SORTABLE_FIELDS } from '../restore/fields.ts';

export type ParameterKind = 'PATH' | 'QUERY' | 'HEADER';

export interface ParameterDoc {
  readonly name: string;
  readonly kind: ParameterKind;
  readonly description: string;
  readonly required: boolean;
  readonly defaultValue: string | null;
  /** QRadar's data type name: Number, String, Long, Integer. */
  readonly dataType: string;
  readonly sample: string;
}

export interface ErrorDoc {
  readonly status: number;
  readonly code: number;
  readonly description: string;
}

export interface EndpointDoc {
  readonly route: Route;
  readonly summary: string;
  readonly description: string;
  readonly parameters: readonly ParameterDoc[];
  /** What the 200 carries. */
  readonly responseDescription: string;
  /** The name of the body's schema in docs/openapi.json (#/components/schemas/NAME). */
  readonly responseSchema: string;
  /** True for lists: they take filter and Range and answer with Content-Range. */
  readonly list: boolean;
  readonly errors: readonly ErrorDoc[];
  readonly sample: string;
}

export const HTTP_REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  204: 'No Content',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const fields: ParameterDoc = {
  name: 'fields',
  kind: 'QUERY',
  description:
    'Use this parameter to specify which fields you would like to get back in the response. Fields that are not named are excluded. Specify subfields in brackets and multiple fields in the same object are separated by commas.',
  required: false,
  defaultValue: null,
  dataType: 'String',
  sample: 'field_one,field_two(sub_field_one,sub_field_two)',
};

const filter: ParameterDoc = {
  name: 'filter',
  kind: 'QUERY',
  description:
    'This parameter is used to restrict the elements in a list base on the contents of various fields.',
  required: false,
  defaultValue: null,
  dataType: 'String',
  sample: 'version >= 20.0 and deprecated = false',
};

const range: ParameterDoc = {
  name: 'Range',
  kind: 'HEADER',
  description:
    'Use this parameter to restrict the number of elements that are returned in the list to a specified range. The list is indexed starting at zero.',
  required: false,
  defaultValue: null,
  dataType: 'String',
  sample: 'items=0-49',
};

const sort: ParameterDoc = {
  name: 'sort',
  kind: 'QUERY',
  description: `This parameter is used to sort the elements in a list. Sortable fields: ${SORTABLE_FIELDS.join(', ')}.`,
  required: false,
  defaultValue: null,
  dataType: 'String',
  sample: '-time_initiated,id',
};

const helpId = (what: string): ParameterDoc => ({
  name: 'id',
  kind: 'PATH',
  description: `The id of the ${what} documentation object.`,
  required: true,
  defaultValue: null,
  dataType: 'Number',
  sample: '1',
});

const STORE_ERRORS: readonly ErrorDoc[] = [
  { status: 500, code: 1000, description: 'An error occurred while the request was processed.' },
  { status: 503, code: 1000, description: 'The store is throttled or unreachable; retry after Retry-After.' },
];

/** What every endpoint may answer before its own work starts (contract section 5's order). */
const COMMON_ERRORS: readonly ErrorDoc[] = [
  { status: 401, code: 18, description: 'No credentials, or an unknown or expired token or user.' },
  { status: 406, code: 1, description: 'The Accept header admits no JSON.' },
  { status: 422, code: 2, description: 'The Version header names a removed version.' },
  { status: 422, code: 3, description: 'The Version header is not a valid version.' },
  { status: 422, code: 31, description: 'The fields parameter is malformed or names a field twice.' },
  { status: 422, code: 30, description: 'The fields parameter names a field that does not exist.' },
];

const LIST_ERRORS: readonly ErrorDoc[] = [
  ...COMMON_ERRORS,
  { status: 422, code: 12, description: 'The filter parameter is malformed or does not fit the fields.' },
  { status: 422, code: 36, description: 'The Range header is not items=x-y, or y is below x.' },
  ...STORE_ERRORS,
];

const helpObjectErrors = (notFound: string): readonly ErrorDoc[] => [
  ...COMMON_ERRORS,
  { status: 422, code: 11, description: 'The id is not a number.' },
  { status: 404, code: 1002, description: notFound },
  ...STORE_ERRORS,
];

const helpList = (name: Route['name'], what: string, schema: string, sample: string): EndpointDoc => ({
  route: route(name),
  summary: `Retrieves a list of ${what} documentation objects.`,
  description: `The ${what} documentation of this API, as QRadar's help endpoints describe it. Any valid credentials may read it.`,
  parameters: [fields, filter, range],
  responseDescription: `An array of ${what} documentation objects.`,
  responseSchema: `${schema}List`,
  list: true,
  errors: LIST_ERRORS,
  sample: `[${sample}]`,
});

const helpObject = (
  name: Route['name'],
  what: string,
  schema: string,
  notFound: string,
  sample: string,
): EndpointDoc => ({
  route: route(name),
  summary: `Retrieves a single ${what} documentation object.`,
  description: `One ${what} documentation object by its id.`,
  parameters: [helpId(what), fields],
  responseDescription: `The ${what} documentation object.`,
  responseSchema: schema,
  list: false,
  errors: helpObjectErrors(notFound),
  sample,
});

const route = (name: Route['name']): Route => {
  const found = HELP_ROUTES.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no route ${name}`);
  return found;
};

export const NOT_FOUND_DESCRIPTIONS = {
  endpoint: 'No endpoint documentation object was found for the provided endpoint id.',
  resource: 'No resource documentation object was found for the provided resource id.',
  version: 'No version documentation object was found for the provided version id.',
} as const;

/** Sample restore 4 (local/sample-restores.ts), so the API page's example id exists locally. */
const RESTORE_SAMPLE =
  '{"id":4,"initiated_by":"admin","host_id":53,"time_initiated":1767571200000,"time_completed":null,"status":"IN_PROGRESS","is_cross_deployment_restore":false,"backup_id":104,"backup_name":"Nightly configuration backup","backup_version":"7.5.0","backup_type":"CONFIG","backup_filename":"backup.nightly.7_5_0.2026_01_01.config.1767225600000.tgz","groups":["CUSTOM_RULES_CONFIG","DEPLOYMENT_CONFIG","USERS_CONFIG"]}';

const RETRIEVE_RESTORES_FAILED = 'An error occurred during the attempt to retrieve the restores.';

const VERSION_SAMPLE =
  '{"id":15,"version":"26.0","deprecated":false,"removed":false,"root_resource_ids":[1,4]}';
const RESOURCE_SAMPLE =
  '{"id":2,"resource":"restores","path":"/backup_and_restore/restores","parent_resource_id":1,"child_resource_ids":[3],"endpoint_ids":[8],"version":"26.0"}';
const ENDPOINT_SAMPLE =
  '{"id":1,"summary":"Retrieves a restore by its id.","http_method":"GET","path":"/backup_and_restore/restores/{id}","version":"26.0"}';

/** Every endpoint, in the order of their help ids (1, 2, ...): stable for a deployment. */
export const ENDPOINTS: readonly EndpointDoc[] = [
  {
    route: RESTORE_ROUTE,
    summary: 'Retrieves a restore by its id.',
    description:
      'The status of restoring a configuration backup onto a host. Needs credentials with the capability BACKUP or ADMIN.',
    parameters: [
      {
        name: 'id',
        kind: 'PATH',
        description: 'The id of the restore: a Long, as Java reads it (optional sign, digits).',
        required: true,
        defaultValue: null,
        dataType: 'Long',
        // A restore `npm start` loads (local/sample-restores.ts), so the API page's first try finds one.
        sample: '4',
      },
      fields,
    ],
    responseDescription: 'The restore: every field without fields, exactly the selected fields with it.',
    responseSchema: 'Restore',
    list: false,
    errors: [
      ...COMMON_ERRORS,
      { status: 403, code: 26, description: 'The credentials lack the capability BACKUP or ADMIN.' },
      { status: 422, code: 11, description: 'The id is not a Long.' },
      { status: 404, code: 1001, description: 'The restore does not exist.' },
      {
        status: 500,
        code: 1000,
        description: 'An error occurred during the attempt to retrieve the restore.',
      },
      {
        status: 503,
        code: 1000,
        description: 'An error occurred during the attempt to retrieve the restore.',
      },
    ],
    sample: RESTORE_SAMPLE,
  },
  helpList('listEndpoints', 'endpoint', 'EndpointDoc', ENDPOINT_SAMPLE),
  helpObject('getEndpoint', 'endpoint', 'EndpointDoc', NOT_FOUND_DESCRIPTIONS.endpoint, ENDPOINT_SAMPLE),
  helpList('listResources', 'resource', 'ResourceDoc', RESOURCE_SAMPLE),
  helpObject('getResource', 'resource', 'ResourceDoc', NOT_FOUND_DESCRIPTIONS.resource, RESOURCE_SAMPLE),
  helpList('listVersions', 'version', 'VersionDoc', VERSION_SAMPLE),
  helpObject('getVersion', 'version', 'VersionDoc', NOT_FOUND_DESCRIPTIONS.version, VERSION_SAMPLE),
  // Last, so that the ids of the endpoints before it stay as they were.
  {
    route: LIST_ROUTE,
    summary: 'Retrieves a list of restores.',
    description:
      'The restores, filtered, sorted (by id without sort; ties always by id ascending, so paging with Range is stable) and cut to the Range. Needs credentials with the capability BACKUP or ADMIN.',
    parameters: [fields, filter, sort, range],
    responseDescription: 'An array of restores, each with the fields that fields selects.',
    responseSchema: 'RestoreList',
    list: true,
    errors: [
      ...COMMON_ERRORS,
      { status: 403, code: 26, description: 'The credentials lack the capability BACKUP or ADMIN.' },
      { status: 422, code: 12, description: 'The filter parameter is malformed or does not fit the fields.' },
      {
        status: 422,
        code: 1018,
        description: 'The sort parameter names a field that cannot be sorted by, or is malformed.',
      },
      { status: 422, code: 36, description: 'The Range header is not items=x-y, or y is below x.' },
      {
        status: 422,
        code: 37,
        description: 'Without Range, the answer would pass 5 MiB: page through the list with Range.',
      },
      { status: 500, code: 1000, description: RETRIEVE_RESTORES_FAILED },
      { status: 503, code: 1000, description: RETRIEVE_RESTORES_FAILED },
    ],
    sample: `[${RESTORE_SAMPLE}]`,
  },
];

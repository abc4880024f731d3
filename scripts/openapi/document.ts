// docs/openapi.json, built from the one description of the API (lib/help/api-description.ts):
// every endpoint's GET and HEAD, the operations that exist, with the schemas and headers they
// use. What every other request under /api answers (405 code 5 for another method on an
// endpoint's path, 404 code 4 for another path, contract 11.5) is said once: in the description,
// and as shared responses under `x-other-requests` for tools (the tests' contract check).

import {
  ENDPOINTS,
  type EndpointDoc,
  type ErrorDoc,
  type ParameterDoc,
} from '../../lib/help/api-description.ts';
import { RESTORE_ROUTE, type Route, type RouteName } from '../../lib/http/routes.ts';
import { MAX_FIELDS_LENGTH } from '../../lib/qradar/fields.ts';
import {
  ErrorSchemas,
  type Example,
  errorResponses,
  HEADER_COMPONENTS,
  type Json,
  PREFLIGHT_RESPONSE,
  successResponse,
} from './responses.ts';
import { DATA_SCHEMAS, type Schema } from './schemas.ts';

/** The latest API version of the version table (contract 11.1): what no Version header means. */
const LATEST_VERSION = '26.0';
/** Spec 11.3: the longest filter value. */
const MAX_FILTER_LENGTH = 2048;

const DESCRIPTION = `IBM QRadar's \`GET /api/backup_and_restore/restores/{id}\` and its list \`GET /api/backup_and_restore/restores\`, on AWS Lambda and DynamoDB, and around them what a QRadar client also meets: the \`Version\` header, QRadar's \`/api/help\` documentation endpoints, and QRadar's error bodies for every other path and method under \`/api\`. Same paths, parameters, response and error bodies as QRadar's own (API versions 12.0 to 26.0), so a QRadar client works against it by changing only the host name.

**Credentials.** Every request under \`/api\` needs them: QRadar's \`SEC\` header with an authorized service's token, or HTTP Basic with an authorized user's name and password (\`SEC\` decides when both are sent). Reading restores needs the capability BACKUP or ADMIN; the help endpoints take any valid credentials.

**Versions.** \`Version\` selects the API version (\`26.0\`; \`13\` is the latest 13.x); without it, the latest. A deprecated version is answered with \`Deprecated: true\`; a removed one is 422 code 2, one that is not valid 422 code 3.

**Longs** (\`id\`, \`host_id\`, \`time_initiated\`, \`time_completed\`, \`backup_id\`) are JSON integers exact across the whole signed 64-bit range: read them with a parser that keeps every digit.

**Lists** (the restores list, and the help endpoints without an id) take \`filter\` and \`Range: items=x-y\`, and answer with \`Content-Range: items x-y/TOTAL\`; the restores list takes QRadar's \`sort\` too. One answer holds at most 5 MiB: without \`Range\` a longer list is 422 code 37, and a \`Range\` slice that would be longer comes back cut, with a \`Content-Range\` that says so.

**Methods and paths.** Every endpoint serves GET and HEAD (HEAD answers as GET, without a body): those are the operations listed below. Any other method on an endpoint's path (POST, PUT, DELETE, PATCH, OPTIONS, ...) is 405 code 5, \`Method (M) is not supported by the endpoint resource (PATH).\`, with \`Allow: GET, HEAD\`; any other path under \`/api\` (\`/api\` itself too) is 404 code 4, \`Relative path (PATH) is not a known endpoint resource. ...\`, naming the path after \`/api\`, whatever the method. Both come after credentials, \`Version\` and \`Accept\` are checked, in QRadar's error body with the usual headers. (\`x-other-requests\` in this document holds these answers as shared responses, for tools.)

**Errors.** Every error is a JSON body in QRadar's error shape, whatever the request's \`Accept\`. When a request has several faults the first in this order answers: credentials (401, then 403), \`Version\` (422 codes 2, 3), \`Accept\` (406), the route (404 code 4, 405 code 5), the path id (422 code 11), \`fields\` (422 code 31, then 30), \`filter\` (422 code 12), \`sort\` (422 code 1018), \`Range\` (422 code 36), then the lookup (404 codes 1001, 1002; 500, 503), then the list's size (422 code 37). A 503 carries \`Retry-After\`.

**Cross-origin requests** get CORS headers only from an origin listed in \`CORS_ALLOWED_ORIGINS\` (\`Content-Range\` and \`Deprecated\` exposed). A preflight (\`OPTIONS\` with \`Origin\` and \`Access-Control-Request-Method\`) from such an origin to a path under \`/api/\` is answered 204 first, before credentials.`;

/** What the document says beyond the shared description: OpenAPI readers get more detail. */
interface RouteNotes {
  readonly operation?: string;
  readonly success?: string;
  readonly examples?: (sample: unknown) => Record<string, Example>;
  /** Errors only a direct invocation meets (contract section 8). */
  readonly invokeErrors?: readonly ErrorDoc[];
}

const pick = (object: unknown, names: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(names.map((name) => [name, (object as Record<string, unknown>)[name]]));

const ROUTE_NOTES: Readonly<Partial<Record<RouteName, RouteNotes>>> = {
  getRestore: {
    operation:
      'Other Lambda functions may invoke the function directly with `{"id": "42", "fields": "id,status"}` (`fields` optional): the result is the restore itself, and a failure throws an error named `RestoreNotFound` (404), `InvalidRequest` (422), `StoreUnavailable` (503) or `InternalError` (500) whose message is the error body below as JSON text.',
    success: 'A value the record does not hold is null.',
    examples: (sample) => ({
      selected: { summary: 'fields=id,status', value: pick(sample, ['id', 'status']) },
      beyondDoubles: {
        summary: 'A Long beyond doubles, every digit exact (fields=id,status)',
        value: { id: JSON.rawJSON('9007199254740993'), status: 'SUCCESS' },
      },
    }),
    invokeErrors: [{ status: 422, code: 8, description: 'Direct invocation only: the payload has no id.' }],
  },
  listRestores: {
    operation:
      'Other Lambda functions may invoke the function `listRestores` directly with `{"filter": "status in (PENDING, IN_PROGRESS)", "sort": "-time_initiated", "range": "items=0-49", "fields": "id,status"}` (each optional): the result is `{"items": [...], "total": N}` (Longs exact), and a failure throws an error named `InvalidRequest` (422), `StoreUnavailable` (503) or `InternalError` (500) whose message is the error body below as JSON text.',
    success:
      'Without `sort`, by `id` ascending; ties always break by `id` ascending. Null sorts first ascending, last descending; Strings by UTF-16 code units, as Java. A slice that would pass 5 MiB holds the leading items that fit, and `Content-Range` says which.',
    examples: (sample) => ({
      selected: {
        summary: 'fields=id,status, each item',
        value: (sample as unknown[]).map((item) => pick(item, ['id', 'status'])),
      },
    }),
    invokeErrors: [
      {
        status: 422,
        code: 8,
        description:
          'Direct invocation only: the payload is not an object of filter, sort, range and fields.',
      },
    ],
  },
};

/** Said of a parameter beyond its QRadar description, by name and data type. */
const PARAMETER_NOTES: Readonly<Record<string, string>> = {
  'id Long':
    "Read as Java's `Long.parseLong` reads it: an optional `+` or `-`, then one or more ASCII digits (leading zeros allowed), within -9223372036854775808..9223372036854775807. Anything else is error 422 code 11.",
  'id Number': 'Digits only; anything else is error 422 code 11. An id that names nothing is 404 code 1002.',
  'fields String':
    'Grammar: `list := item ("," item)*`, `item := name ["(" list ")"]`, `name := [A-Za-z0-9_]+`; spaces and tabs around names, commas and brackets are allowed; names are case-sensitive. Absent, empty or blank: every field. Round brackets select subfields inside an object, and inside each object of an array of objects (`error_responses(response_code)`); a field whose values are not objects has none, so `status(x)` is code 30 for `x`. Malformed (unbalanced brackets, empty items, other characters, a name twice at one level, over 2,048 characters or 8 levels): 422 code 31. An unknown name: 422 code 30 (the first, reading left to right).',
  'filter String':
    "QRadar's filter syntax, on the top-level fields of the listed objects: `=`, `!=` (`<>`, `^=`), `<`, `<=`, `>`, `>=`; `in (a, b)`, `not in (...)`; `between a and b`, `not between ...`; `is null`, `is not null`; `and`, `or`, `not` and parentheses. Values: numbers, double-quoted strings, `true`, `false`, bare words. For example `version >= 20.0 and deprecated = false`. Malformed, an unknown field or a value that does not fit the field: 422 code 12; so is a value over 2,048 characters or 16 levels of parentheses.",
  'Range String':
    "`items=x-y`, zero-based and inclusive; the answer's `Content-Range` says which items came. Not `items=x-y`, or y below x: 422 code 36. Ignored by endpoints that answer one object.",
  'sort String':
    "QRadar's sort syntax: comma-separated fields, each prefixed by `+` (ascending), `-` (descending) or nothing (ascending); spaces around items are ignored, and an unencoded `+` arrives as a space. Any other field, a field named twice, an empty item or a sign alone: 422 code 1018. Empty or blank: by id.",
};

const schemaOf = ({ name, dataType }: ParameterDoc): Schema => {
  if (dataType === 'Long') return { type: 'string', pattern: '^[+-]?[0-9]+$' };
  if (dataType === 'Number') return { type: 'string', pattern: '^[0-9]+$' };
  if (name === 'fields') return { type: 'string', maxLength: MAX_FIELDS_LENGTH };
  if (name === 'filter') return { type: 'string', maxLength: MAX_FILTER_LENGTH };
  return { type: 'string' };
};

/**
 * A parameter. Only required ones get examples: Swagger UI fills examples into "Try it out",
 * and an optional one filled in would change what the request asks.
 */
const parameter = (doc: ParameterDoc): Json => {
  const note = PARAMETER_NOTES[`${doc.name} ${doc.dataType}`];
  return {
    name: doc.name,
    in: doc.kind.toLowerCase(),
    required: doc.required,
    description: note === undefined ? doc.description : `${doc.description} ${note}`,
    schema: { ...schemaOf(doc), ...(doc.defaultValue === null ? {} : { default: doc.defaultValue }) },
    ...(doc.required
      ? {
          examples: {
            sample: { value: doc.sample },
            ...(doc.dataType === 'Long' ? { beyondDoubles: { value: '9007199254740993' } } : {}),
          },
        }
      : {}),
  };
};

const COMMON_PARAMETERS: Readonly<Record<string, Json>> = {
  Version: {
    name: 'Version',
    in: 'header',
    required: false,
    description:
      "QRadar's API version header (contract 11.1): `26.0`, or a major alone (`13`: its latest minor); a version between two known ones resolves down. Absent: the latest. A deprecated version answers with `Deprecated: true`; a removed one (major below 12) is 422 code 2; anything else not valid, a version above the latest included, 422 code 3.",
    schema: { type: 'string' },
    example: LATEST_VERSION,
  },
  Accept: {
    name: 'Accept',
    in: 'header',
    required: false,
    description:
      'Absent, or any value that admits application/json (`*/*`, `application/*`, `application/json`, with parameters and q-values). A value that admits no JSON is 406.',
    schema: { type: 'string' },
  },
};
const commonParameters = Object.keys(COMMON_PARAMETERS).map((name) => ({
  $ref: `#/components/parameters/${name}`,
}));

const tagOf = (route: Route): string => route.path.split('/')[1] ?? '';

/** What a sample answer holds: every field, or the fields that select it. */
const sampleSummary = (doc: EndpointDoc, value: unknown): string => {
  const item = Array.isArray(value) ? value[0] : value;
  const schema = DATA_SCHEMAS[doc.responseSchema.replace(/List$/, '')] as { properties: object };
  const keys = Object.keys(item as object);
  const every = Object.keys(schema.properties);
  const label = keys.length === every.length ? 'Every field' : `fields=${keys.join(',')}`;
  return Array.isArray(value) ? `${label}, each item` : label;
};

const getOperation = (doc: EndpointDoc, schemas: ErrorSchemas): Json => {
  const notes = ROUTE_NOTES[doc.route.name] ?? {};
  const sample: unknown = JSON.parse(doc.sample);
  const idType = doc.parameters.find((p) => p.kind === 'PATH')?.dataType;
  const description = [
    doc.description,
    'HEAD answers as GET, without a body.',
    ...(doc.list
      ? [
          'A list: `filter` selects items and `Range: items=x-y` a slice of them; `Content-Range` says which came and how many the filtered list holds.',
        ]
      : []),
    ...(notes.operation === undefined ? [] : [notes.operation]),
  ];
  return {
    tags: [tagOf(doc.route)],
    operationId: doc.route.name,
    summary: doc.summary,
    description: description.join('\n\n'),
    parameters: [...doc.parameters.filter((p) => p.kind !== 'PATH').map(parameter), ...commonParameters],
    responses: {
      '200': successResponse(doc, notes.success, {
        sample: { summary: sampleSummary(doc, sample), value: sample },
        ...notes.examples?.(sample),
      }),
      ...errorResponses([...doc.errors, ...(notes.invokeErrors ?? [])], {
        path: doc.route.path,
        idType,
        schemas,
      }),
    },
  };
};

const responseRef = (name: string): Json => ({ $ref: `#/components/responses/${name}` });

/** Errors every request may meet before its route is checked (contract section 5's order). */
const beforeRoute = (): ErrorDoc[] => {
  const wanted = [
    [401, 18],
    [406, 1],
    [422, 2],
    [422, 3],
  ];
  return wanted.map(([status, code]) => {
    const found = ENDPOINTS[0]?.errors.find((e) => e.status === status && e.code === code);
    if (found === undefined) throw new Error(`no endpoint documents ${status} code ${code}`);
    return found;
  });
};

const CREDENTIAL_STORE_ERRORS: readonly ErrorDoc[] = [
  { status: 500, code: 1000, description: 'The credentials could not be checked.' },
  {
    status: 503,
    code: 1000,
    description: 'The store of credentials is throttled or unreachable; retry after Retry-After.',
  },
];

/** The shared responses of every request no endpoint serves: component name → status. */
const NOT_SERVED_RESPONSES: Readonly<Record<string, number>> = {
  Unauthorized: 401,
  UnknownEndpoint: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  VersionNotAccepted: 422,
  InternalError: 500,
  ServiceUnavailable: 503,
};

const notServedComponents = (schemas: ErrorSchemas): Record<string, Json> => {
  const errors = [
    ...beforeRoute(),
    {
      status: 404,
      code: 4,
      description: 'No endpoint has this path. The message names the path after /api.',
    },
    {
      status: 405,
      code: 5,
      description: 'The endpoint does not serve this method; `Allow` lists those it does.',
    },
    ...CREDENTIAL_STORE_ERRORS,
  ];
  const responses = errorResponses(errors, { path: RESTORE_ROUTE.path, idType: undefined, schemas });
  return {
    ...Object.fromEntries(
      Object.entries(NOT_SERVED_RESPONSES).map(([name, status]) => [name, responses[String(status)]]),
    ),
    CorsPreflight: PREFLIGHT_RESPONSE,
  };
};

/** The responses of a request no operation takes, by status: those before the route, and `refused`. */
const notServed = (refused: 'UnknownEndpoint' | 'MethodNotAllowed'): Json =>
  Object.fromEntries([
    ['204', responseRef('CorsPreflight')],
    ...[
      'Unauthorized',
      refused,
      'NotAcceptable',
      'VersionNotAccepted',
      'InternalError',
      'ServiceUnavailable',
    ].map((name) => [String(NOT_SERVED_RESPONSES[name]), responseRef(name)]),
  ]);

/**
 * HEAD: GET's answers, the same statuses and headers, without a body. Listed as an operation
 * of its own so that readers (and "Try it out") see that it exists.
 */
const headOperation = (get: Json): Json => {
  const responses = get['responses'] as Record<string, Json>;
  return {
    ...get,
    operationId: `${String(get['operationId'])}_head`,
    summary: `${String(get['summary'])} (headers only)`,
    description: 'Answers as GET, with the same status and headers, without a body.',
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, { description, headers }]) => [
        status,
        { description, headers },
      ]),
    ),
  };
};

const endpointPath = (doc: EndpointDoc, schemas: ErrorSchemas): Json => {
  const pathParameters = doc.parameters.filter((p) => p.kind === 'PATH').map(parameter);
  const get = getOperation(doc, schemas);
  // OpenAPI's order of operations: get, put, post, delete, options, head, patch.
  return {
    ...(pathParameters.length === 0 ? {} : { parameters: pathParameters }),
    get,
    head: headOperation(get),
  };
};

/** The OpenAPI 3.1 document, as docs/openapi.json holds it. */
export const openApiDocument = (): Json => {
  const schemas = new ErrorSchemas();
  const paths = Object.fromEntries(
    ENDPOINTS.map((doc) => [`/api${doc.route.path}`, endpointPath(doc, schemas)]),
  );
  const responses = notServedComponents(schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'QRadar restores (backup and restore)',
      version: LATEST_VERSION,
      summary: "IBM QRadar's GET /api/backup_and_restore/restores/{id}, on AWS Lambda and DynamoDB.",
      description: DESCRIPTION,
      license: { name: 'Proprietary' },
    },
    servers: [{ url: '/', description: 'This host' }],
    security: [{ SEC: [] }, { Basic: [] }],
    tags: [
      { name: 'backup_and_restore', description: 'Configuration backups and their restores' },
      { name: 'help', description: "QRadar's documentation of this API: versions, resources and endpoints" },
    ],
    paths,
    'x-other-requests': {
      description:
        "What a request no operation above takes answers, by status: `methods` for another method on an endpoint's path (405 code 5), `paths` for any other path under /api (404 code 4). A CORS preflight from an allowed origin is answered 204.",
      methods: notServed('MethodNotAllowed'),
      paths: notServed('UnknownEndpoint'),
    },
    components: {
      securitySchemes: {
        SEC: {
          type: 'apiKey',
          in: 'header',
          name: 'SEC',
          description:
            "QRadar's authorized service token. Reading a restore needs the capability BACKUP or ADMIN. Locally, `npm start` registers `local-dev` with the token in SEC_TOKEN (default `local-dev-token`).",
        },
        Basic: {
          type: 'http',
          scheme: 'basic',
          description:
            "An authorized user's name and password (RFC 7617, UTF-8, split at the first colon). `SEC` decides when both are sent.",
        },
      },
      parameters: COMMON_PARAMETERS,
      headers: HEADER_COMPONENTS,
      responses,
      schemas: { ...DATA_SCHEMAS, ...schemas.schemas() },
    },
  };
};

// The body schemas of docs/openapi.json: the restore (contract section 3), the help objects as
// lib/help/help.ts builds them (contract 11.2), and QRadar's error body with its per-status and
// per-code constraints (contract section 5). No property is required: `fields` may select any.

import { RESTORE_GROUPS, RESTORE_STATUSES } from '../../lib/restore/fields.ts';

export type Schema = Readonly<Record<string, unknown>>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const nullable = (type: string, description?: string): Schema => ({
  type: [type, 'null'],
  ...(description === undefined ? {} : { description }),
});
const typed = (type: string, description?: string): Schema => ({
  type,
  ...(description === undefined ? {} : { description }),
});
const integers = (description: string): Schema => ({
  type: 'array',
  items: { type: 'integer' },
  description,
});
const arrayOf = (name: string, description: string): Schema => ({
  type: 'array',
  items: ref(name),
  description,
});
const object = (description: string, properties: Record<string, Schema>): Schema => ({
  type: 'object',
  additionalProperties: false,
  description,
  properties,
});
const listOf = (name: string, what: string): Schema => ({
  type: 'array',
  description: `${what}, each with the fields \`fields\` selects.`,
  items: ref(name),
});

const LONG: Schema = {
  type: ['integer', 'null'],
  // Written as raw JSON so that every digit of the 64-bit bounds reaches the file.
  minimum: JSON.rawJSON('-9223372036854775808'),
  maximum: JSON.rawJSON('9223372036854775807'),
  format: 'int64',
  description: 'A signed 64-bit integer, every digit exact; null when the record does not hold it.',
};

const RESTORE: Schema = {
  type: 'object',
  additionalProperties: false,
  description: 'A restore. Without `fields` every property is present; with it, exactly the selected ones.',
  properties: {
    id: ref('Long'),
    initiated_by: nullable('string', 'The user or authorized service that started the restore.'),
    host_id: { ...ref('Long'), description: 'The host that was restored.' },
    time_initiated: { ...ref('Long'), description: 'Milliseconds since the epoch.' },
    time_completed: {
      ...ref('Long'),
      description: 'Milliseconds since the epoch; null while not completed.',
    },
    status: {
      type: ['string', 'null'],
      enum: [...RESTORE_STATUSES, null],
      description: 'PENDING → REQUESTING → INITIALIZING → IN_PROGRESS → FAILED or SUCCESS.',
    },
    is_cross_deployment_restore: nullable('boolean'),
    backup_id: { ...ref('Long'), description: 'Becomes null once the restore completes.' },
    backup_name: nullable('string'),
    backup_version: nullable('string', 'The QRadar version of the backup.'),
    backup_type: { type: ['string', 'null'], enum: ['CONFIG', null] },
    backup_filename: nullable('string'),
    // A subset of the groups (section 3): a record that repeats one is malformed, never served.
    groups: {
      type: ['array', 'null'],
      uniqueItems: true,
      items: { type: 'string', enum: [...RESTORE_GROUPS] },
    },
  },
};

const VERSION_DOC = object('A callable API version (contract 11.1), as QRadar documents it.', {
  id: typed('integer', 'The version documentation object id: 1 for the oldest callable version, and up.'),
  version: typed('string', 'MAJOR.MINOR, e.g. 26.0.'),
  deprecated: typed('boolean', 'True: answered, with a `Deprecated: true` header.'),
  removed: typed('boolean', 'Always false: removed versions are not callable, so not listed.'),
  root_resource_ids: integers('The ids of the top-level resources.'),
});

const RESOURCE_DOC = object('A resource: one prefix of an endpoint path.', {
  id: typed('integer'),
  resource: typed('string', 'The last segment of the path, e.g. restores or {id}.'),
  path: typed('string', "Below /api, with QRadar's braces: /backup_and_restore/restores."),
  parent_resource_id: nullable('integer', 'Null for a top-level resource.'),
  child_resource_ids: integers('The resources one segment below.'),
  endpoint_ids: integers('The endpoints at exactly this path.'),
  version: typed('string', 'The API version the request resolved to.'),
});

const PARAMETER_MIME_TYPE_DOC = object('How a parameter is written.', {
  data_type: typed('string', "QRadar's data type name: Number, String, Long, Integer."),
  mime_type: typed('string'),
  sample: typed('string'),
});

const PARAMETER_DOC = object('A parameter of an endpoint.', {
  parameter_name: typed('string'),
  type: { type: 'string', enum: ['PATH', 'QUERY', 'HEADER', 'BODY'] },
  description: typed('string'),
  default_value: nullable('string'),
  mime_types: arrayOf('EndpointParameterMimeTypeDoc', 'How the parameter is written.'),
});

const SUCCESS_RESPONSE_DOC = object('A success status of an endpoint.', {
  response_code: typed('integer'),
  response_code_description: typed('string'),
  description: typed('string'),
});

const ERROR_RESPONSE_DOC = object('An error an endpoint may answer: its status and QRadar code.', {
  response_code: typed('integer'),
  unique_code: typed('integer', 'The `code` of the error body.'),
  response_code_description: typed('string'),
  description: typed('string'),
});

const RESPONSE_MIME_TYPE_DOC = object('A media type the endpoint answers with.', {
  mime_type: typed('string'),
  media_type: typed('string'),
  sample: typed('string', 'A sample body, as JSON text.'),
});

const ENDPOINT_DOC = object('An endpoint of this API, as QRadar documents its own.', {
  id: typed('integer'),
  summary: typed('string'),
  description: typed('string'),
  http_method: typed('string'),
  path: typed('string', "Below /api, with QRadar's braces: /backup_and_restore/restores/{id}."),
  version: typed('string', 'The API version the request resolved to.'),
  last_modified_version: typed('string', 'The oldest callable version: every one documents it identically.'),
  deprecated: typed('boolean'),
  resource_id: typed('integer', "The resource at the endpoint's path."),
  parameters: arrayOf('EndpointParameterDoc', "The endpoint's parameters."),
  success_responses: arrayOf('EndpointSuccessResponseDoc', 'Its success statuses.'),
  error_responses: arrayOf('EndpointErrorResponseDoc', 'Every status and QRadar code it may answer.'),
  response_mime_types: arrayOf('EndpointResponseMimeTypeDoc', 'What it answers with.'),
  response_description: typed('string'),
  caller_has_access: typed('boolean', "Whether the caller's capabilities reach the endpoint."),
});

/** The body schemas other than errors, in the order the document lists them. */
export const DATA_SCHEMAS: Readonly<Record<string, Schema>> = {
  Long: LONG,
  Restore: RESTORE,
  RestoreList: listOf('Restore', 'Restores'),
  VersionDoc: VERSION_DOC,
  VersionDocList: listOf('VersionDoc', 'Version documentation objects'),
  ResourceDoc: RESOURCE_DOC,
  ResourceDocList: listOf('ResourceDoc', 'Resource documentation objects'),
  EndpointDoc: ENDPOINT_DOC,
  EndpointDocList: listOf('EndpointDoc', 'Endpoint documentation objects'),
  EndpointParameterDoc: PARAMETER_DOC,
  EndpointParameterMimeTypeDoc: PARAMETER_MIME_TYPE_DOC,
  EndpointSuccessResponseDoc: SUCCESS_RESPONSE_DOC,
  EndpointErrorResponseDoc: ERROR_RESPONSE_DOC,
  EndpointResponseMimeTypeDoc: RESPONSE_MIME_TYPE_DOC,
};

/** QRadar's error body (contract section 5), whatever the status. */
export const ERROR_SCHEMA: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['http_response', 'code', 'message', 'description', 'details'],
  properties: {
    http_response: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: { code: { type: 'integer' }, message: { type: 'string' } },
    },
    code: { type: 'integer', description: "QRadar's error code." },
    message: { type: 'string' },
    description: { type: 'string' },
    details: { type: 'object', maxProperties: 0 },
  },
};

/** Error{status}: the HTTP status and its message, as every body of that status carries them. */
export const statusSchema = (status: number, message: string): Schema => ({
  allOf: [ref('Error')],
  properties: {
    http_response: { properties: { code: { const: status }, message: { const: message } } },
  },
});

/** ErrorCode{code}: the QRadar code and the description that goes with it. */
export const codeSchema = (code: number, description: string): Schema => ({
  properties: { code: { const: code }, description: { const: description } },
});

// The Response objects of docs/openapi.json: each status with its headers (contract section 7,
// 11.1, 11.4, 11.5), a body schema that admits exactly the QRadar codes documented for it, and
// examples. Error schemas are collected as they are used, so the document lists only those.

import type { EndpointDoc, ErrorDoc } from '../../lib/help/api-description.ts';
import { RESPONSE_HEADERS } from '../../lib/http/answer.ts';
import { ALLOW_HEADER } from '../../lib/http/routes.ts';
import { QRadarError } from '../../lib/qradar/errors.ts';
import { codeVariant, type ErrorSample, errorSamples, type SampleContext } from './samples.ts';
import { codeSchema, ERROR_SCHEMA, ref, type Schema, statusSchema } from './schemas.ts';

export type Json = Readonly<Record<string, unknown>>;

const headerRef = (name: string): Json => ({ $ref: `#/components/headers/${name}` });

/** A header's component name: its own without dashes (Content-Type → ContentType). */
const componentName = (header: string): string => header.replaceAll('-', '');

/** The header components: section 7's constants, and those that belong to a status or a request. */
export const HEADER_COMPONENTS: Readonly<Record<string, Json>> = {
  ...Object.fromEntries(
    Object.entries(RESPONSE_HEADERS).map(([name, value]) => [
      componentName(name),
      { required: true, schema: { const: value } },
    ]),
  ),
  RetryAfter: {
    required: true,
    description: 'Seconds to wait before trying again.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  Allow: {
    required: true,
    description: 'The methods the endpoint serves.',
    schema: { const: ALLOW_HEADER },
  },
  ContentRange: {
    required: true,
    description:
      'Which items of the filtered list came and how many it holds: `items x-y/TOTAL`, or `items */TOTAL` when the range starts past the end (contract 11.4).',
    schema: { type: 'string', pattern: '^items ([0-9]+-[0-9]+|\\*)/[0-9]+$' },
  },
  Deprecated: {
    required: false,
    description: "Present when the request's `Version` resolved to a deprecated version (contract 11.1).",
    schema: { const: 'true' },
  },
  AccessControlAllowOrigin: {
    required: true,
    description: "The request's origin, named: never `*`.",
    schema: { type: 'string' },
  },
  AccessControlAllowCredentials: { required: true, schema: { const: 'true' } },
  AccessControlAllowMethods: {
    required: true,
    description: 'The methods the endpoints serve.',
    schema: { type: 'string' },
  },
  AccessControlAllowHeaders: {
    required: true,
    description: 'The request headers allowed by name: SEC, Version, Range, Authorization, Accept, ...',
    schema: { type: 'string' },
  },
  AccessControlMaxAge: { required: false, schema: { type: 'string', pattern: '^[0-9]+$' } },
  Vary: { required: false, schema: { type: 'string' } },
};

/** The headers of a response: section 7's, then what the status and the request add. */
const headersOf = (status: number, list: boolean): Json => ({
  ...Object.fromEntries(Object.keys(RESPONSE_HEADERS).map((name) => [name, headerRef(componentName(name))])),
  // Version is resolved after credentials: a 401 or 403 never carries Deprecated.
  ...(status === 401 || status === 403 ? {} : { Deprecated: headerRef('Deprecated') }),
  ...(status === 200 && list ? { 'Content-Range': headerRef('ContentRange') } : {}),
  ...(status === 405 ? { Allow: headerRef('Allow') } : {}),
  ...(status === 503 ? { 'Retry-After': headerRef('RetryAfter') } : {}),
});

/** Said of every response of a status, whatever the endpoint. */
const STATUS_NOTES: Readonly<Record<number, string>> = {
  422: 'Values echoed in messages are cut to 100 characters.',
  500: 'The body never names the cause (a store error, a record that breaks the contract, a bug); the log does, with the request id.',
  503: 'Try again after `Retry-After` seconds.',
};

/** Collects the error schemas the responses use, each defined once. */
export class ErrorSchemas {
  private readonly byName = new Map<string, Schema>();
  private readonly order = new Map<string, readonly [number, number]>();

  private add(name: string, schema: Schema, order: readonly [number, number]): string {
    const known = this.byName.get(name);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema)) {
      throw new Error(`two different schemas named ${name}`);
    }
    this.byName.set(name, schema);
    this.order.set(name, order);
    return name;
  }

  status(status: number): string {
    const { message } = new QRadarError(status, 0, '').toBody().http_response;
    return this.add(`Error${status}`, statusSchema(status, message), [status, 0]);
  }

  /** ErrorCode{code}, and a suffix where one code goes with several descriptions (1002). */
  code(sample: ErrorSample, suffix: string): string {
    const { code, description } = sample.body;
    return this.add(`ErrorCode${code}${suffix}`, codeSchema(code, description), [1000, code]);
  }

  /** Error, then Error{status} by status, then ErrorCode{code} by code. */
  schemas(): Record<string, Schema> {
    const names = [...this.byName.keys()].sort((a, b) => {
      const [x, y] = [this.order.get(a) ?? [0, 0], this.order.get(b) ?? [0, 0]];
      return x[0] - y[0] || x[1] - y[1] || a.localeCompare(b);
    });
    return { Error: ERROR_SCHEMA, ...Object.fromEntries(names.map((name) => [name, this.byName.get(name)])) };
  }
}

export interface ResponseContext extends SampleContext {
  readonly schemas: ErrorSchemas;
}

/** One error status of an operation: its codes' descriptions, schemas and example bodies. */
export const errorResponse = (
  status: number,
  errors: readonly ErrorDoc[],
  context: ResponseContext,
): Json => {
  const samples = errors.map((error) => ({ error, samples: errorSamples(error, context) }));
  const codeNames = [
    ...new Set(
      samples.flatMap(({ error, samples: made }) =>
        made.map((sample) => context.schemas.code(sample, codeVariant(error, context))),
      ),
    ),
  ];
  const [only] = codeNames;
  const codes = codeNames.length === 1 && only !== undefined ? ref(only) : { oneOf: codeNames.map(ref) };
  const said =
    errors.length === 1
      ? (errors[0] as ErrorDoc).description
      : errors.map((error) => `Code ${error.code}: ${error.description}`).join(' ');
  const note = STATUS_NOTES[status];
  return {
    description: note === undefined ? said : `${said} ${note}`,
    headers: headersOf(status, false),
    content: {
      'application/json': {
        schema: { allOf: [ref(context.schemas.status(status)), codes] },
        examples: Object.fromEntries(
          samples.flatMap(({ samples: made }) =>
            made.map(({ key, summary, body }) => [key, { summary, value: body }]),
          ),
        ),
      },
    },
  };
};

/** Every error status of an operation, by status. */
export const errorResponses = (
  errors: readonly ErrorDoc[],
  context: ResponseContext,
): Record<string, Json> => {
  const statuses = [...new Set(errors.map((error) => error.status))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      errorResponse(
        status,
        errors.filter((error) => error.status === status),
        context,
      ),
    ]),
  );
};

export interface Example {
  readonly summary: string;
  readonly value: unknown;
}

/** The 200 of an endpoint: its schema, headers (Content-Range for lists) and examples. */
export const successResponse = (
  doc: EndpointDoc,
  note: string | undefined,
  examples: Readonly<Record<string, Example>>,
): Json => ({
  description: note === undefined ? doc.responseDescription : `${doc.responseDescription} ${note}`,
  headers: headersOf(200, doc.list),
  content: { 'application/json': { schema: ref(doc.responseSchema), examples } },
});

/** A CORS preflight's answer (contract 11.6): the CORS headers instead of section 7's, no body. */
export const PREFLIGHT_RESPONSE: Json = {
  description:
    'A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an origin in `CORS_ALLOWED_ORIGINS`, answered before credentials, `Version` and routing. Any other origin gets no CORS header: its request goes on as any other.',
  headers: {
    'Access-Control-Allow-Origin': headerRef('AccessControlAllowOrigin'),
    'Access-Control-Allow-Credentials': headerRef('AccessControlAllowCredentials'),
    'Access-Control-Allow-Methods': headerRef('AccessControlAllowMethods'),
    'Access-Control-Allow-Headers': headerRef('AccessControlAllowHeaders'),
    'Access-Control-Max-Age': headerRef('AccessControlMaxAge'),
    Vary: headerRef('Vary'),
  },
};

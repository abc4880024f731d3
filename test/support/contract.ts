// The OpenAPI document (docs/openapi.json) as a contract: every response the tests produce
// goes through here, so the document cannot drift from the code. A response breaks the
// contract when its status is not listed, a listed header is missing or wrong, or its body
// does not match the status's schema.

import { Ajv2020 } from 'ajv/dist/2020.js';
import spec from '../../docs/openapi.json' with { type: 'json' };

type HeaderRef = { $ref: string };
interface ResponseSpec {
  headers: Record<string, HeaderRef>;
  content: { 'application/json': { schema: { $ref: string } } };
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'openapi');

const responses = spec.paths['/api/backup_and_restore/restores/{id}'].get.responses as unknown as Record<
  string,
  ResponseSpec
>;
const validator = (ref: string) => {
  const validate = ajv.getSchema(`openapi${ref}`);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
};

export const DOCUMENTED_STATUSES = Object.keys(responses).map(Number);

const checkBody = (status: number, body: unknown): void => {
  const response = responses[String(status)];
  if (!response) throw new Error(`status ${status} is not in docs/openapi.json`);
  const validate = validator(response.content['application/json'].schema.$ref);
  if (!validate(body)) {
    throw new Error(
      `the ${status} body breaks docs/openapi.json: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
};

/** Checks an HTTP response (API Gateway's shape, or a fetch Response read into this form). */
export const checkHttpResponse = (response: {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}): void => {
  const documented = responses[String(response.statusCode)];
  if (!documented) throw new Error(`status ${response.statusCode} is not in docs/openapi.json`);
  const headers = new Map(
    Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  for (const [name, ref] of Object.entries(documented.headers)) {
    const value = headers.get(name.toLowerCase());
    const header = ajv.getSchema(`openapi${ref.$ref}/schema`);
    if (value === undefined || !header?.(value))
      throw new Error(`header ${name}: ${String(value)} breaks docs/openapi.json`);
  }
  checkBody(response.statusCode, JSON.parse(response.body));
};

const STATUS_OF_ERROR_TYPE: Record<string, number | undefined> = {
  RestoreNotFound: 404,
  InvalidRequest: 422,
  StoreUnavailable: 503,
  InternalError: 500,
};

/** Checks what a direct invocation returned (the restore) or threw (a typed error). */
export const checkInvokeOutcome = (outcome: { result: unknown } | { error: unknown }): void => {
  if ('result' in outcome) {
    checkBody(200, JSON.parse(JSON.stringify(outcome.result)));
    return;
  }
  const { name, message } = outcome.error as Error;
  const body = JSON.parse(message) as { http_response: { code: number } };
  const status = STATUS_OF_ERROR_TYPE[name];
  if (status === undefined || status !== body.http_response.code)
    throw new Error(`${name} does not name a ${body.http_response.code}`);
  checkBody(status, body);
};

type Handler = (event: unknown, context: never) => Promise<unknown>;

/** The handler, with every answer it gives checked against the contract. */
export const contractChecked = <H extends Handler>(handler: H): H =>
  (async (event: unknown, context: never) => {
    let result: unknown;
    try {
      result = await handler(event, context);
    } catch (error) {
      checkInvokeOutcome({ error });
      throw error;
    }
    if (typeof result === 'object' && result !== null && 'statusCode' in result) {
      checkHttpResponse(result as Parameters<typeof checkHttpResponse>[0]);
    } else {
      checkInvokeOutcome({ result });
    }
    return result;
  }) as H;

/** fetch, with the response checked against the contract; the body comes back as text. */
export const fetchChecked = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  const body = await response.text();
  checkHttpResponse({ statusCode: response.status, headers: Object.fromEntries(response.headers), body });
  return {
    status: response.status,
    headers: response.headers,
    body,
    json: () => JSON.parse(body) as unknown,
  };
};

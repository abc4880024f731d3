// docs/openapi.json: its examples obey its schemas, it names what the code knows, and the
// contract check that every other test runs rejects what the document does not allow.

import { describe, expect, it } from 'vitest';
import spec from '../../docs/openapi.json' with { type: 'json' };
import { RESPONSE_HEADERS } from '../../lib/http.ts';
import { RESTORE_FIELDS, RESTORE_GROUPS, RESTORE_STATUSES } from '../../lib/restore.ts';
import { checkHttpResponse, checkInvokeOutcome, DOCUMENTED_STATUSES } from '../support/contract.ts';
import { errorBody } from '../support/responses.ts';

const operation = spec.paths['/api/backup_and_restore/restores/{id}'].get;
const response = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = { ...RESPONSE_HEADERS },
) => ({
  statusCode,
  headers,
  body: JSON.stringify(body),
});

describe('docs/openapi.json', () => {
  it('documents every status of the spec', () => {
    expect(DOCUMENTED_STATUSES.sort()).toEqual([200, 401, 403, 404, 406, 422, 500, 503]);
  });

  it('holds examples that obey their own schemas', () => {
    for (const [status, documented] of Object.entries(operation.responses)) {
      const content = documented.content['application/json'] as {
        example?: unknown;
        examples?: Record<string, { value: unknown }>;
      };
      const examples = [content.example, ...Object.values(content.examples ?? {}).map((e) => e.value)].filter(
        Boolean,
      );
      expect(examples.length).toBeGreaterThan(0);
      const headers = { ...RESPONSE_HEADERS, ...(status === '503' ? { 'Retry-After': '1' } : {}) };
      for (const example of examples)
        expect(() => checkHttpResponse(response(Number(status), example, headers))).not.toThrow();
    }
  });

  it('names the fields, statuses and groups the code knows', () => {
    const restore = spec.components.schemas.Restore;
    expect(Object.keys(restore.properties)).toEqual(RESTORE_FIELDS);
    expect(restore.properties.status.enum).toEqual([...RESTORE_STATUSES, null]);
    expect(restore.properties.groups.items.enum).toEqual([...RESTORE_GROUPS]);
    expect(Object.keys(spec.components.securitySchemes)).toEqual(['SEC']);
  });
});

describe('the contract check', () => {
  const notFound = errorBody(404, 1001, 'No restore was found with the id 1.');

  it('passes a documented response', () => {
    expect(() => checkHttpResponse(response(404, notFound))).not.toThrow();
    expect(() => checkHttpResponse(response(200, { id: 1, status: 'PENDING' }))).not.toThrow();
  });

  it('rejects an undocumented status, a missing or wrong header, and a body its status does not allow', () => {
    expect(() => checkHttpResponse(response(400, notFound))).toThrow(/not in docs/);
    const { 'X-Frame-Options': _, ...missing } = RESPONSE_HEADERS;
    expect(() => checkHttpResponse(response(404, notFound, missing))).toThrow(/X-Frame-Options/);
    expect(() => checkHttpResponse(response(503, errorBody(503, 1000, 'x')))).toThrow(/Retry-After/);
    expect(() => checkHttpResponse(response(404, { ...notFound, code: 1002 }))).toThrow(/breaks/);
    expect(() => checkHttpResponse(response(200, { id: 1, secret: 'x' }))).toThrow(/breaks/);
    expect(() => checkHttpResponse(response(200, { status: 'DONE' }))).toThrow(/breaks/);
    expect(() => checkHttpResponse(response(422, errorBody(422, 12, 'x')))).toThrow(/breaks/);
  });

  it('checks a direct invocation: the restore, or an error whose type names its status', () => {
    expect(() => checkInvokeOutcome({ result: { id: JSON.rawJSON('9007199254740993') } })).not.toThrow();
    const thrown = Object.assign(new Error(JSON.stringify(notFound)), { name: 'RestoreNotFound' });
    expect(() => checkInvokeOutcome({ error: thrown })).not.toThrow();
    expect(() => checkInvokeOutcome({ error: Object.assign(thrown, { name: 'InternalError' }) })).toThrow(
      /does not name/,
    );
  });
});

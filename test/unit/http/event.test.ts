import { describe, expect, it } from 'vitest';
import { apiSegments, readEvent } from '../../../lib/http/event.ts';
import { httpV1Event, httpV2Event } from '../../../local/harness/events.ts';

describe('readEvent', () => {
  it('reads an HTTP API event: method, path below /api as delivered (already decoded), joined values', () => {
    const event = readEvent({
      ...httpV2Event({ id: '%2B1', headers: { SEC: 'a,b', Version: '26.0' } }),
      queryStringParameters: { fields: 'id,status', filter: 'x=1' },
    });
    expect(event).toMatchObject({
      caller: 'http',
      method: 'GET',
      path: '/api/backup_and_restore/restores/%2B1',
      apiSegments: ['backup_and_restore', 'restores', '%2B1'],
      query: { fields: 'id,status', filter: 'x=1' },
      headers: { sec: 'a,b', version: '26.0' },
      rawFields: 'id,status',
    });
  });

  it('decodes each segment of a Function URL path once, keeping an encoded "/" inside its segment', () => {
    const base = httpV2Event({ id: '%252B1' });
    const event = readEvent({
      ...base,
      rawPath: '/api/backup_and_restore/restores/%252B1%2Fx',
      requestContext: { ...base.requestContext, domainName: 'abc.lambda-url.us-east-1.on.aws' },
    });
    expect(event.apiSegments).toEqual(['backup_and_restore', 'restores', '%2B1/x']);
  });

  it('decodes a REST API path once, and leaves an HTTP API payload 1.0 path as delivered', () => {
    const rest = readEvent(httpV1Event({ id: '%252B1' }));
    expect(rest.apiSegments).toEqual(['backup_and_restore', 'restores', '%2B1']);
    const httpApiV1 = readEvent({ ...httpV1Event({ id: '%2B1' }), version: '1.0' });
    expect(httpApiV1.apiSegments).toEqual(['backup_and_restore', 'restores', '%2B1']);
  });

  it('joins repeated headers and query parameters of payload 1.0 with ",", names lower-cased', () => {
    const event = readEvent({
      ...httpV1Event({ id: '1' }),
      multiValueHeaders: { SEC: ['a', 'b'], Version: ['26.0'] },
      multiValueQueryStringParameters: { fields: ['id', 'status'] },
    });
    expect(event.headers).toMatchObject({ sec: 'a,b', version: '26.0' });
    expect(event.query).toEqual({ fields: 'id,status' });
  });

  it('reads anything else as a direct invocation', () => {
    expect(readEvent({ id: '5', fields: 'id' })).toMatchObject({
      caller: 'invoke',
      method: 'GET',
      rawId: '5',
      rawFields: 'id',
      headers: {},
    });
    for (const payload of [null, 'x', [1], 42])
      expect(readEvent(payload)).toMatchObject({ rawId: undefined });
  });
});

describe('apiSegments', () => {
  it('is undefined outside /api, and splits below it', () => {
    expect(apiSegments('/api_doc', false)).toBeUndefined();
    expect(apiSegments('/other', false)).toBeUndefined();
    expect(apiSegments('/api', false)).toEqual([]);
    expect(apiSegments('/api/', false)).toEqual(['']);
    expect(apiSegments('/api/help/versions', false)).toEqual(['help', 'versions']);
  });

  it('keeps a malformed escape as it is', () => {
    expect(apiSegments('/api/x/%zz', true)).toEqual(['x', '%zz']);
  });
});

import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, NumberValue } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BAD_TOKEN, BAD_USER, hashToken, NO_CREDENTIALS } from '../../../lib/auth/authenticate.ts';
import { hashPassword } from '../../../lib/auth/password.ts';
import { contractChecked } from '../../../local/harness/contract.ts';
import { httpV2Event, lambdaContext } from '../../../local/harness/events.ts';
import { errorBody, expectResponse } from '../../support/responses.ts';

vi.stubEnv('RESTORES_TABLE', 'restores-auth');
vi.stubEnv('AUTHORIZED_SERVICES_TABLE', 'services-auth');
vi.stubEnv('AUTHORIZED_USERS_TABLE', 'users-auth');
const handler = contractChecked((await import('../../../handlers/getRestore.ts')).handler);

const dynamo = mockClient(DynamoDBDocumentClient);

// One token per case: the handler caches lookups for the life of the container.
const SERVICES: Record<string, Record<string, unknown>> = {
  'token-backup': { name: 'backup-service', capabilities: new Set(['BACKUP']) },
  'token-admin': { name: 'admin-service', capabilities: ['ADMIN', 'OTHER'] },
  'token-reader': { name: 'reader', capabilities: new Set(['ASSETS']) },
  'token-expired': {
    name: 'old',
    capabilities: new Set(['ADMIN']),
    expires_at: new NumberValue(String(Date.now() - 1000)),
  },
  'token-current': {
    name: 'new',
    capabilities: new Set(['ADMIN']),
    expires_at: new NumberValue(String(Date.now() + 3.6e6)),
  },
  'token-broken': { name: 'broken', capabilities: 'ADMIN' },
};

const serveServices = () => {
  for (const [token, item] of Object.entries(SERVICES)) {
    dynamo
      .on(GetCommand, { TableName: 'services-auth', Key: { token_hash: hashToken(token) } })
      .resolves({ Item: item });
  }
};

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { TableName: 'services-auth' }).resolves({});
  serveServices();
  dynamo.on(GetCommand, { TableName: 'restores-auth' }).resolves({ Item: { id: new NumberValue('1') } });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

const get = (headers: Record<string, string>, id = '1') =>
  handler(httpV2Event({ id, fields: 'id', headers }), lambdaContext());

describe('SEC authentication through the handler', () => {
  it('401 code 18 without a SEC header', async () => {
    expectResponse(
      await get({}),
      401,
      errorBody(
        401,
        18,
        'No SEC header present in request. Please provide it via "SEC: token". You may also use BASIC authentication parameters if this host supports it. e.g. "Authorization: Basic base64Encoding"',
      ),
    );
    expectResponse(await get({ SEC: '  ' }), 401, errorBody(401, 18, NO_CREDENTIALS));
  });

  it('401 code 18 for an unknown token, looked up by its SHA-256 only', async () => {
    expectResponse(await get({ SEC: 'token-unknown' }), 401, errorBody(401, 18, BAD_TOKEN));
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'services-auth',
      Key: { token_hash: hashToken('token-unknown') },
      ConsistentRead: false,
    });
  });

  it('401 code 18 for an expired token; a token not yet expired passes', async () => {
    expectResponse(await get({ SEC: 'token-expired' }), 401, errorBody(401, 18));
    expectResponse(await get({ SEC: 'token-current' }), 200, { id: 1 });
  });

  it('403 code 26 for a token without BACKUP or ADMIN', async () => {
    expectResponse(
      await get({ SEC: 'token-reader' }),
      403,
      errorBody(403, 26, 'User has insufficient capabilities to access this endpoint resource'),
    );
  });

  it('200 with BACKUP (String Set) and with ADMIN (List)', async () => {
    expectResponse(await get({ SEC: 'token-backup' }), 200, { id: 1 });
    expectResponse(await get({ sec: 'token-admin' }), 200, { id: 1 });
  });

  it('answers credentials first: no token and a bad id is a 401, a weak token and a bad Accept a 403', async () => {
    expectResponse(await get({}, 'not-a-long'), 401, errorBody(401, 18));
    expectResponse(await get({ SEC: 'token-reader', Accept: 'text/html' }, 'x'), 403, errorBody(403, 26));
    expectResponse(await get({ SEC: 'token-backup', Accept: 'text/html' }, 'x'), 406, errorBody(406, 1));
  });

  it('a malformed service record is a 500 that names nothing internal', async () => {
    const response = await get({ SEC: 'token-broken' });
    expectResponse(response, 500, errorBody(500, 1000));
    expect((response as { body: string }).body).not.toContain('broken');
  });

  it('never logs the token or its hash, even when the lookup fails', async () => {
    const token = 'token-while-throttled';
    dynamo
      .on(GetCommand, { TableName: 'services-auth', Key: { token_hash: hashToken(token) } })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    const response = await get({ SEC: token });
    expectResponse(response, 503, errorBody(503, 1000));
    const logged = vi.mocked(console.error).mock.calls.flat().join('\n');
    expect(logged).toContain('ThrottlingException');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(hashToken(token));
  });

  it('does not ask direct invocations for a token', async () => {
    expect(JSON.stringify(await handler({ id: '1', fields: 'id' }, lambdaContext()))).toBe('{"id":1}');
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, { TableName: 'services-auth' });
  });
});

describe('Basic authentication through the handler', () => {
  // A cheap scrypt cost keeps the tests fast; the format is the stored one of section 6.
  const PASSWORD = 'pa:ss w\u00f6rd';
  let hash = '';
  const basic = (user: string, password: string, scheme = 'Basic') =>
    `${scheme} ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  const serveUser = (username: string, item: Record<string, unknown>) =>
    dynamo.on(GetCommand, { TableName: 'users-auth', Key: { username } }).resolves({ Item: item });

  beforeEach(async () => {
    hash ||= await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
    dynamo.on(GetCommand, { TableName: 'users-auth' }).resolves({});
    serveUser('alice', { password_hash: hash, capabilities: new Set(['BACKUP']) });
    serveUser('bob', { password_hash: hash, capabilities: ['ASSETS'] });
    serveUser('carol', {
      password_hash: hash,
      capabilities: ['ADMIN'],
      expires_at: new NumberValue(String(Date.now() - 1)),
    });
    serveUser('mallory', { password_hash: 'scrypt$1$1$1$x$y', capabilities: ['ADMIN'] });
    // Well-formed, but 320 MiB and 128 MiB of scrypt: never computed.
    const salt = Buffer.alloc(16, 1).toString('base64');
    const key = Buffer.alloc(64, 2).toString('base64');
    serveUser('greedy', { password_hash: `scrypt$2$524288$1$${salt}$${key}`, capabilities: ['ADMIN'] });
    serveUser('refused', { password_hash: `scrypt$1048576$1$1$${salt}$${key}`, capabilities: ['ADMIN'] });
  });

  it('200 for a user with BACKUP; the scheme name is case-insensitive and a password may hold colons', async () => {
    expectResponse(await get({ Authorization: basic('alice', PASSWORD) }), 200, { id: 1 });
    expectResponse(await get({ authorization: basic('alice', PASSWORD, 'bAsIc') }), 200, { id: 1 });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'users-auth',
      Key: { username: 'alice' },
      ConsistentRead: false,
    });
  });

  it('401 code 18, the same answer, for a wrong password and for an unknown user', async () => {
    const wrong = await get({ Authorization: basic('alice', 'nope') });
    const unknown = await get({ Authorization: basic('nobody', PASSWORD) });
    expectResponse(wrong, 401, errorBody(401, 18, BAD_USER));
    expect(unknown).toEqual(wrong);
  });

  it('401 code 18 for a malformed header: not base64, no colon, nothing after the scheme', async () => {
    for (const header of ['Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic']) {
      expectResponse(await get({ Authorization: header }), 401, errorBody(401, 18));
    }
  });

  it('401 code 18 for an expired user, 403 code 26 for one without BACKUP or ADMIN', async () => {
    expectResponse(await get({ Authorization: basic('carol', PASSWORD) }), 401, errorBody(401, 18, BAD_USER));
    expectResponse(await get({ Authorization: basic('bob', PASSWORD) }), 403, errorBody(403, 26));
  });

  it('lets SEC decide when both are sent, and takes a blank SEC as absent', async () => {
    const good = basic('alice', PASSWORD);
    // Blank is spaces and tabs only: a no-break space is a (wrong) token, and SEC decides.
    expectResponse(await get({ SEC: '\u00a0', Authorization: good }), 401, errorBody(401, 18, BAD_TOKEN));
    expectResponse(await get({ SEC: ' \t ', Authorization: good }), 200, { id: 1 });
    expectResponse(
      await get({ SEC: 'token-unknown', Authorization: good }),
      401,
      errorBody(401, 18, BAD_TOKEN),
    );
    expectResponse(await get({ SEC: '   ', Authorization: good }), 200, { id: 1 });
  });

  it('401 code 18, as for a wrong password, for a stored hash over the scrypt bounds', async () => {
    for (const user of ['greedy', 'refused']) {
      expectResponse(await get({ Authorization: basic(user, PASSWORD) }), 401, errorBody(401, 18, BAD_USER));
    }
  });

  it('a malformed stored hash is a 500 that names nothing internal', async () => {
    const response = await get({ Authorization: basic('mallory', PASSWORD) });
    expectResponse(response, 500, errorBody(500, 1000));
    expect((response as { body: string }).body).not.toMatch(/scrypt|mallory/);
  });

  it('never logs the password, the header or the hash', async () => {
    const header = basic('alice', 'wrong-password-secret');
    dynamo
      .on(GetCommand, { TableName: 'users-auth', Key: { username: 'alice' } })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    expectResponse(await get({ Authorization: header }), 503, errorBody(503, 1000));
    const logged = vi.mocked(console.error).mock.calls.flat().join('\n');
    expect(logged).toContain('ThrottlingException');
    for (const secret of ['wrong-password-secret', header, hash]) expect(logged).not.toContain(secret);
  });
});

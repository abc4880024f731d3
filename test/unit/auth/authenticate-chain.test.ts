// authenticate(): reads SEC or Basic credentials of an HTTP caller, looks them up (cached),
// and sets the principal, or throws 401 code 18. What the whole handler answers for each
// credential is test/unit/auth/authenticate.test.ts's.

import { DynamoDBClient, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, NumberValue } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuthenticateOptions,
  authenticate,
  BAD_TOKEN,
  BAD_USER,
  hashToken,
  MALFORMED_BASIC,
  NO_CREDENTIALS,
} from '../../../lib/auth/authenticate.ts';
import { hashPassword } from '../../../lib/auth/password.ts';
import type { ApiEvent } from '../../../lib/http/event.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const SERVICES = 'services-mw';
const USERS = 'users-mw';
const NOW = 1_800_000_000_000;
const PASSWORD = 'pa:ss w\u00f6rd';
let passwordHash = '';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const serveService = (token: string, item: Record<string, unknown>) =>
  dynamo
    .on(GetCommand, { TableName: SERVICES, Key: { token_hash: hashToken(token) } })
    .resolves({ Item: item });
const serveUser = (username: string, item: Record<string, unknown>) =>
  dynamo.on(GetCommand, { TableName: USERS, Key: { username } }).resolves({ Item: item });

beforeAll(async () => {
  // A cheap scrypt cost keeps the tests fast; the format is the stored one of section 6.
  passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
});

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand).resolves({});
  serveService('token-backup', { name: 'backup-service', capabilities: new Set(['BACKUP']) });
  serveService('token-admin', { name: 'admin-service', capabilities: ['ADMIN'] });
  serveService('token-reader', { name: 'reader', capabilities: ['ASSETS'] });
  serveService('token-expiring', {
    name: 'soon',
    capabilities: ['ADMIN'],
    expires_at: new NumberValue(String(NOW)),
  });
  serveService('token-broken', { name: 'broken', capabilities: 'ADMIN' });
  serveUser('alice', { password_hash: passwordHash, capabilities: new Set(['BACKUP']) });
  serveUser('carol', {
    password_hash: passwordHash,
    capabilities: ['ADMIN'],
    expires_at: new NumberValue(String(NOW)),
  });
});

/** A chain of authenticate() alone, on the tables above, at the clock `now` gives. */
const authenticating = (options: Partial<AuthenticateOptions> = {}) =>
  bareChain(authenticate({ client, servicesTable: SERVICES, usersTable: USERS, now: () => NOW, ...options }));

const as = (headers: Record<string, string>) => httpApiEvent({ id: '1', headers });
const principalOf = async (chain: ReturnType<typeof authenticating>, event: ApiEvent) =>
  ((await chain(event)) as ApiEvent).principal;
const codeOf = async (chain: ReturnType<typeof authenticating>, headers: Record<string, string>) =>
  principalOf(chain, as(headers)).then(
    () => 'allowed',
    (error: { code?: number }) => error.code,
  );

describe('what it reads and sets', () => {
  it('sets the service a SEC token names: kind, name and capabilities, nothing more', async () => {
    const event = as({ SEC: 'token-backup' });
    expect(await principalOf(authenticating(), event)).toEqual({
      kind: 'service',
      name: 'backup-service',
      capabilities: new Set(['BACKUP']),
    });
    expect(dynamo).toReceiveCommandExactlyOnceWith(GetCommand, {
      TableName: SERVICES,
      Key: { token_hash: hashToken('token-backup') },
      ConsistentRead: false,
    });
    expect(event.store).toMatchObject({ calls: 1, attempts: 1 });
  });

  it('sets the user Basic credentials name, read by user name, after the password is verified', async () => {
    expect(await principalOf(authenticating(), as({ Authorization: basic('alice', PASSWORD) }))).toEqual({
      kind: 'user',
      name: 'alice',
      capabilities: new Set(['BACKUP']),
    });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: USERS,
      Key: { username: 'alice' },
      ConsistentRead: false,
    });
  });

  it('trims the SEC token before it is hashed', async () => {
    expect(await principalOf(authenticating(), as({ SEC: '  token-admin ' }))).toMatchObject({
      name: 'admin-service',
    });
  });

  it('asks nothing of a direct invocation and sets no principal', async () => {
    const event = invokeApiEvent({ id: '1' });
    expect(await principalOf(authenticating(), event)).toBeUndefined();
    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(event.store.calls).toBe(0);
  });
});

describe('SEC before Basic', () => {
  it('lets SEC decide when both are sent: an unknown token is refused without asking for the user', async () => {
    const failure = await qradarRejectionOf(
      authenticating()(as({ SEC: 'token-unknown', Authorization: basic('alice', PASSWORD) })),
    );
    expect(failure).toMatchObject({ status: 401, code: 18, message: BAD_TOKEN });
    expect(dynamo).not.toReceiveCommandWith(GetCommand, { TableName: USERS });
  });

  it('takes an empty or blank SEC as absent and reads Basic', async () => {
    for (const SEC of ['', '   ']) {
      expect(
        await principalOf(authenticating(), as({ SEC, Authorization: basic('alice', PASSWORD) })),
      ).toMatchObject({ kind: 'user', name: 'alice' });
    }
  });

  it.each([
    ['no credentials', {}, NO_CREDENTIALS],
    ['another scheme', { Authorization: 'Bearer token-backup' }, NO_CREDENTIALS],
    ['a blank Authorization', { Authorization: '  ' }, NO_CREDENTIALS],
    ['Basic that is not base64', { Authorization: 'Basic !!!' }, MALFORMED_BASIC],
    ['Basic without a colon', { Authorization: `Basic ${btoa('alice')}` }, MALFORMED_BASIC],
  ])('refuses %s with 401 code 18 without a store call', async (_, headers, message) => {
    const failure = await qradarRejectionOf(authenticating()(as(headers)));
    expect(failure).toMatchObject({ status: 401, code: 18, message });
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('refuses a wrong password with the answer an unknown token gets for services', async () => {
    const failure = await qradarRejectionOf(authenticating()(as({ Authorization: basic('alice', 'nope') })));
    expect(failure).toMatchObject({ status: 401, code: 18, message: BAD_USER });
  });
});

describe('the lookup cache', () => {
  it('reuses a lookup, found or not, for cacheMs, then reads again', async () => {
    let now = NOW;
    const chain = authenticating({ cacheMs: 1000, now: () => now });
    expect(await codeOf(chain, { SEC: 'token-backup' })).toBe('allowed');
    expect(await codeOf(chain, { SEC: 'token-backup' })).toBe('allowed');
    expect(await codeOf(chain, { SEC: 'token-unknown' })).toBe(18);
    expect(await codeOf(chain, { SEC: 'token-unknown' })).toBe(18);
    expect(dynamo).toReceiveCommandTimes(GetCommand, 2);
    now += 1001;
    expect(await codeOf(chain, { SEC: 'token-backup' })).toBe('allowed');
    expect(dynamo).toReceiveCommandTimes(GetCommand, 3);
  });

  it('holds at most cacheEntries lookups, dropping the oldest', async () => {
    const chain = authenticating({ cacheEntries: 2 });
    for (const SEC of ['token-backup', 'token-admin', 'token-reader', 'token-admin', 'token-backup']) {
      await codeOf(chain, { SEC });
    }
    // backup, admin, reader (evicts backup), admin (cached), backup (read again).
    expect(dynamo).toReceiveCommandTimes(GetCommand, 4);
  });

  it('keys a Basic lookup by the whole header: the same header is read once, another password again', async () => {
    const chain = authenticating();
    expect(await codeOf(chain, { Authorization: basic('alice', PASSWORD) })).toBe('allowed');
    expect(await codeOf(chain, { Authorization: basic('alice', PASSWORD) })).toBe('allowed');
    expect(dynamo).toReceiveCommandTimes(GetCommand, 1);
    expect(await codeOf(chain, { Authorization: basic('alice', 'other') })).toBe(18);
    expect(dynamo).toReceiveCommandTimes(GetCommand, 2);
  });

  it('counts no store call for a request the cache answered', async () => {
    const chain = authenticating();
    await chain(as({ SEC: 'token-backup' }));
    const cached = as({ SEC: 'token-backup' });
    await chain(cached);
    expect(cached.store).toEqual({ calls: 0, attempts: 0, ms: 0 });
  });

  it('keeps no failed lookup: a throttled read is a 503, and the next request reads again', async () => {
    const chain = authenticating();
    dynamo
      .on(GetCommand, { TableName: SERVICES, Key: { token_hash: hashToken('token-flaky') } })
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: { attempts: 3 } }))
      .resolves({ Item: { name: 'flaky', capabilities: ['BACKUP'] } });
    const failure = await qradarRejectionOf(chain(as({ SEC: 'token-flaky' })));
    expect(failure).toMatchObject({ status: 503, code: 1000 });
    expect(failure.cause).toBeInstanceOf(ThrottlingException);
    expect(await codeOf(chain, { SEC: 'token-flaky' })).toBe('allowed');
    expect(dynamo).toReceiveCommandTimes(GetCommand, 2);
  });

  it('turns a record that breaks section 6 into a 500', async () => {
    const failure = await qradarRejectionOf(authenticating()(as({ SEC: 'token-broken' })));
    expect(failure).toMatchObject({ status: 500, code: 1000 });
  });
});

describe('expiry', () => {
  it('is checked against the clock on every request, cached or not', async () => {
    let now = NOW - 10;
    const chain = authenticating({ now: () => now });
    expect(await codeOf(chain, { SEC: 'token-expiring' })).toBe('allowed');
    expect(await codeOf(chain, { Authorization: basic('carol', PASSWORD) })).toBe('allowed');
    now = NOW; // expires_at is the first millisecond the credential no longer holds
    expect(await codeOf(chain, { SEC: 'token-expiring' })).toBe(18);
    expect(await codeOf(chain, { Authorization: basic('carol', PASSWORD) })).toBe(18);
    expect(dynamo).toReceiveCommandTimes(GetCommand, 2);
  });
});

// An unknown user costs the same scrypt as a wrong password (lib/auth/authenticate.ts, DECOY_HASH): the
// time of a 401 does not tell which user names exist. Timing is not asserted (the machine is
// noisy); that the same verification runs is.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../lib/auth/password.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../lib/auth/password.ts')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

const { authenticate } = await import('../../../lib/auth/authenticate.ts');
const { hashPassword, verifyPassword } = await import('../../../lib/auth/password.ts');
const { bareChain, httpApiEvent } = await import('../../support/middleware.ts');
const { qradarRejectionOf } = await import('../../support/thrown.ts');

const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const chain = bareChain(authenticate({ client, servicesTable: 'services-decoy', usersTable: 'users-decoy' }));
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

let knownHash = '';

beforeEach(async () => {
  knownHash ||= await hashPassword('right');
  dynamo.reset();
  vi.mocked(verifyPassword).mockClear();
  dynamo.on(GetCommand, { TableName: 'users-decoy' }).resolves({});
  dynamo
    .on(GetCommand, { TableName: 'users-decoy', Key: { username: 'known' } })
    .resolves({ Item: { password_hash: knownHash, capabilities: ['BACKUP'] } });
});

describe('an unknown user', () => {
  it('is verified against a decoy hash of the default cost, as a known user is against its own', async () => {
    const unknown = await qradarRejectionOf(
      chain(httpApiEvent({ headers: { Authorization: basic('ghost', 'pw1') } })),
    );
    const wrong = await qradarRejectionOf(
      chain(httpApiEvent({ headers: { Authorization: basic('known', 'pw2') } })),
    );
    expect([unknown.code, wrong.code]).toEqual([18, 18]);
    expect(unknown.message).toBe(wrong.message);
    expect(verifyPassword).toHaveBeenCalledTimes(2);
    const [decoy = '', stored = ''] = vi.mocked(verifyPassword).mock.calls.map(([, hash]) => hash);
    // The same scrypt cost (N, r, p) for both, so both take as long.
    expect(decoy.split('$').slice(0, 4)).toEqual(stored.split('$').slice(0, 4));
    expect(decoy).toMatch(/^scrypt\$16384\$8\$1\$/);
  });
});

describe('a refused header', () => {
  const ask = (user: string, password: string) =>
    chain(httpApiEvent({ headers: { Authorization: basic(user, password) } })).then(
      () => 200,
      (error: { code?: number }) => error.code,
    );

  it('is not verified again while its record is unchanged, but is once the user is made', async () => {
    expect(await ask('newcomer', 'pw')).toBe(18);
    expect(await ask('newcomer', 'pw')).toBe(18);
    expect(await ask('known', 'wrong')).toBe(18);
    expect(await ask('known', 'wrong')).toBe(18);
    // One scrypt each (the decoy, the stored hash); the repeats read the record only.
    expect(verifyPassword).toHaveBeenCalledTimes(2);
    expect(dynamo).toReceiveCommandTimes(GetCommand, 4);

    // `npm run user` right after a failed attempt: the same header now signs in.
    dynamo.on(GetCommand, { TableName: 'users-decoy', Key: { username: 'newcomer' } }).resolves({
      Item: { password_hash: await hashPassword('pw', { N: 16, r: 1, p: 1 }), capabilities: ['BACKUP'] },
    });
    expect(await ask('newcomer', 'pw')).toBe(200);
    expect(verifyPassword).toHaveBeenCalledTimes(3);
    // Verified: reused without a read.
    expect(await ask('newcomer', 'pw')).toBe(200);
    expect(dynamo).toReceiveCommandTimes(GetCommand, 5);
  });
});

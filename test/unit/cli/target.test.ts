// Where the table tools write (cli/target.ts): the local stack unless --stage names
// a deployed stage, whose table names and region come from serverless.yml.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeStoreError,
  LOCAL_ENDPOINT,
  resolveTarget,
  type TableTarget,
  TargetError,
} from '../../../cli/target.ts';
import { LOCAL_TABLES } from '../../../lib/store/tables.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'table-target-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const refusal = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof TargetError ? error.message : `not a TargetError: ${error}`),
  );

describe('without --stage', () => {
  it("writes to npm start's store and tables, never AWS", async () => {
    expect(await resolveTarget({}, {})).toEqual({
      endpoint: LOCAL_ENDPOINT,
      region: 'us-east-1',
      tables: LOCAL_TABLES,
      stage: undefined,
      where: 'the local stack at http://127.0.0.1:8000',
    });
    expect(LOCAL_ENDPOINT).toBe('http://127.0.0.1:8000');
    expect(await resolveTarget({ local: true }, {})).toMatchObject({ endpoint: LOCAL_ENDPOINT });
  });

  it("takes the store and table names npm start was given, as npm start's own settings", async () => {
    const env = {
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8123',
      RESTORES_TABLE: 'mine',
      AWS_REGION: 'eu-west-1',
    };
    expect(await resolveTarget({}, env)).toEqual({
      endpoint: 'http://127.0.0.1:8123',
      region: 'eu-west-1',
      tables: { ...LOCAL_TABLES, restoresTable: 'mine' },
      stage: undefined,
      where: 'the local stack at http://127.0.0.1:8123',
    });
  });

  it.each([
    [{ region: 'eu-west-1' }, {}, '--region goes with --stage'],
    [{}, { DYNAMODB_ENDPOINT: 'ftp://x' }, 'DYNAMODB_ENDPOINT is not an http(s) URL: ftp://x'],
    [{}, { AUTHORIZED_USERS_TABLE: 'a b' }, 'AUTHORIZED_USERS_TABLE is not a DynamoDB table name: a b'],
  ])('refuses %j with %j', async (args, env, message) => {
    expect(await refusal(resolveTarget(args, env))).toBe(message);
  });
});

describe('--stage', () => {
  it("writes to the stage's tables of serverless.yml, in the region it deploys to", async () => {
    expect(
      await resolveTarget({ stage: 'prod' }, { RESTORES_TABLE: 'ignored', AWS_REGION: 'ap-south-1' }),
    ).toEqual({
      endpoint: undefined,
      region: 'us-east-1',
      tables: {
        restoresTable: 'qradar-restores-prod-restores',
        authorizedServicesTable: 'qradar-restores-prod-authorized-services',
        authorizedUsersTable: 'qradar-restores-prod-authorized-users',
      },
      stage: 'prod',
      where: 'stage prod (us-east-1)',
    });
    expect(await resolveTarget({ stage: 'dev', region: 'eu-central-1' }, {})).toMatchObject({
      region: 'eu-central-1',
      tables: { restoresTable: 'qradar-restores-dev-restores' },
      where: 'stage dev (eu-central-1)',
    });
  });

  it("resolves a stage's own region and the names osls would", async () => {
    const file = join(dir, 'serverless.yml');
    await writeFile(
      file,
      [
        'service: svc',
        'provider:',
        `  region: \${param:region}`,
        'params:',
        '  qa:',
        '    region: eu-north-1',
        `    restoresTable: \${self:service}-\${sls:stage}-restores`,
        '    authorizedServicesTable: services',
        '    authorizedUsersTable: users',
        '    role: !GetAtt Role.Arn',
        '',
      ].join('\n'),
    );
    expect(await resolveTarget({ stage: 'qa' }, {}, file)).toMatchObject({
      region: 'eu-north-1',
      tables: { restoresTable: 'svc-qa-restores', authorizedServicesTable: 'services' },
    });
  });

  it.each([
    [{ stage: 'staging' }, {}, 'serverless.yml has no stage staging (its stages: dev, prod)'],
    [{ stage: 'prod', local: true }, {}, '--local or --stage, not both'],
    [{ stage: 'dev', region: 'Mars' }, {}, 'not an AWS region: Mars'],
    [{ stage: '../x' }, {}, 'not a stage name: ../x'],
    [
      { stage: 'dev' },
      { DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' },
      '--stage writes to AWS, but DYNAMODB_ENDPOINT is set (http://127.0.0.1:8000): unset it, or use --local',
    ],
  ])('refuses %j with %j', async (args, env, message) => {
    expect(await refusal(resolveTarget(args, env))).toBe(message);
  });
});

describe('describeStoreError', () => {
  const local: TableTarget = {
    endpoint: LOCAL_ENDPOINT,
    region: 'us-east-1',
    tables: LOCAL_TABLES,
    stage: undefined,
    where: 'the local stack at http://127.0.0.1:8000',
  };
  const stage: TableTarget = {
    ...local,
    endpoint: undefined,
    stage: 'prod',
    where: 'stage prod (us-east-1)',
  };

  it('names both ways when no local stack answers, or there are no AWS credentials', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    expect(describeStoreError(refused, local)).toBe(
      'nothing answers at http://127.0.0.1:8000: start the local stack with `npm start` ' +
        '(or set DYNAMODB_ENDPOINT to its store), or write to a deployed stage with --stage STAGE',
    );
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(describeStoreError(noCredentials, stage)).toMatch(
      /^no AWS credentials for stage prod \(us-east-1\): set AWS_PROFILE .*, or write to the local stack with --local$/,
    );
  });

  it('says any other error by its name and message', () => {
    const missing = Object.assign(new Error('Requested resource not found'), {
      name: 'ResourceNotFoundException',
    });
    expect(describeStoreError(missing, stage)).toBe(
      'ResourceNotFoundException: Requested resource not found',
    );
  });
});

// The templates `npx sls package --stage dev|prod` build: routes, functions, tables, least
// privilege, the `live` alias, tracing, logging, stage settings, and cfn-lint on both.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CFN_SCHEMA } from '../../infra/serverless-file.ts';
import { corsHeaders, preflight } from '../../lib/http/cors.ts';
import { cfnLint, EXPLAINED, lintProblems } from '../support/cfn-lint.ts';
import { resolveIn } from '../support/intrinsics.ts';
import {
  type Packaged,
  PROD_ALARMS,
  packageStage,
  type Resource,
  resourcesOfType,
  STRAY_SHELL_SETTINGS,
  type Template,
} from '../support/package.ts';

let dev: Packaged;
let prod: Packaged;
/** dev, with origins given as `--param corsAllowedOrigins=...`. */
let devWithOrigins: Packaged;
const ORIGINS = ['https://a.example', 'http://localhost:8080'];

beforeAll(async () => {
  [dev, prod, devWithOrigins] = await Promise.all([
    packageStage('dev'),
    packageStage('prod', PROD_ALARMS),
    packageStage('dev', { corsAllowedOrigins: ORIGINS.join(',') }),
  ]);
}, 600_000);

const FUNCTIONS = {
  getRestore: 'GetRestore',
  listRestores: 'ListRestores',
  api: 'Api',
  apiDoc: 'ApiDoc',
  restoreWatcher: 'RestoreWatcher',
  publishStatusChanges: 'PublishStatusChanges',
} as const;
const FUNCTION_IDS = Object.values(FUNCTIONS).map((id) => `${id}LambdaFunction`);

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
/** A dev table's ARN as the template writes it out (infra/plugins/tables-last.cjs). */
const TABLE_NAMES: Record<string, string> = {
  RestoresTable: 'qradar-restores-dev-restores',
  AuthorizedServicesTable: 'qradar-restores-dev-authorized-services',
  AuthorizedUsersTable: 'qradar-restores-dev-authorized-users',
};
const tableArn = (id: string, suffix = '') => ({
  'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${TABLE_NAMES[id]}${suffix}`,
});
const alias = (functionId: string) => ({ 'Fn::Join': [':', [getAtt(functionId), 'live']] });
const resource = (template: Template, id: string): Resource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found;
};
const props = (template: Template, id: string) => resource(template, id).Properties;

type Json = Record<string, unknown>;

interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
}

/** The statements of the role a function runs as. */
const statementsOf = (template: Template, functionId: string): Statement[] => {
  const role = props(template, functionId)['Role'] as { 'Fn::GetAtt': [string, string] };
  const policies = props(template, role['Fn::GetAtt'][0])['Policies'] as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
};

const logs = (id: string): Statement => ({
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: [getAtt(`${id}LogGroup`)],
});
const XRAY: Statement = {
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: ['*'],
};
const getItem = (...tables: string[]): Statement => ({
  Effect: 'Allow',
  Action: ['dynamodb:GetItem'],
  Resource: tables.map((table) => tableArn(table)),
});

describe('the packaged CloudFormation template', () => {
  it('routes the restore endpoint, the API page and everything else on one HTTP API', () => {
    const target = (integrationId: string) => ({
      'Fn::Join': ['/', ['integrations', { Ref: integrationId }]],
    });
    const routes = Object.fromEntries(
      resourcesOfType(dev.template, 'AWS::ApiGatewayV2::Route').map(([, r]) => [
        r.Properties['RouteKey'],
        r.Properties['Target'],
      ]),
    );
    expect(routes).toEqual({
      'ANY /api/backup_and_restore/restores/{id}': target('HttpApiIntegrationGetRestore'),
      'ANY /api/backup_and_restore/restores': target('HttpApiIntegrationListRestores'),
      'GET /api_doc': target('HttpApiIntegrationApiDoc'),
      'GET /api_doc/{asset}': target('HttpApiIntegrationApiDoc'),
      'GET /favicon.ico': target('HttpApiIntegrationApiDoc'),
      $default: target('HttpApiIntegrationApi'),
    });
  });

  it('runs every function on nodejs24.x, arm64, with its handler', () => {
    const handlers = Object.fromEntries(
      resourcesOfType(dev.template, 'AWS::Lambda::Function').map(([id, fn]) => {
        expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
        return [id, fn.Properties['Handler']];
      }),
    );
    expect(handlers).toEqual({
      GetRestoreLambdaFunction: 'handlers/getRestore.handler',
      ListRestoresLambdaFunction: 'handlers/listRestores.handler',
      ApiLambdaFunction: 'handlers/api.handler',
      ApiDocLambdaFunction: 'handlers/apiDoc.handler',
      RestoreWatcherLambdaFunction: 'handlers/restoreWatcher.handler',
      PublishStatusChangesLambdaFunction: 'handlers/publishStatusChanges.handler',
    });
    expect(props(dev.template, 'GetRestoreLambdaFunction')['Timeout']).toBe(10);
    // A list call reads the whole table: its own, longer timeout (serverless.yml says why).
    expect(props(dev.template, 'ListRestoresLambdaFunction')['Timeout']).toBe(20);
  });

  it("takes table names and origins from the stage's params, never from the deploying shell", () => {
    for (const [{ template }, stage] of [
      [dev, 'dev'],
      [prod, 'prod'],
    ] as const) {
      for (const id of FUNCTION_IDS) {
        const variables = (props(template, id)['Environment'] as { Variables: Record<string, unknown> })
          .Variables;
        expect(variables).toMatchObject({
          RESTORES_TABLE: `qradar-restores-${stage}-restores`,
          AUTHORIZED_SERVICES_TABLE: `qradar-restores-${stage}-authorized-services`,
          AUTHORIZED_USERS_TABLE: `qradar-restores-${stage}-authorized-users`,
          // The stage's origins, comma-separated: none by default.
          CORS_ALLOWED_ORIGINS: '',
        });
      }
      expect(props(template, 'RestoresTable')['TableName']).toBe(`qradar-restores-${stage}-restores`);
      expect(props(template, 'AuthorizedUsersTable')['TableName']).toBe(
        `qradar-restores-${stage}-authorized-users`,
      );
    }
    // The packaging shell held these; not one reached either template.
    const text = JSON.stringify([dev.template, prod.template]);
    for (const value of Object.values(STRAY_SHELL_SETTINGS)) expect(text).not.toContain(value);
  });

  it("gives getRestore alone the stage's restore cache TTL, one its config accepts: prod 1 s, dev off", () => {
    const ttl = (template: Template, id: string) =>
      (props(template, id)['Environment'] as { Variables: Record<string, unknown> }).Variables[
        'RESTORE_CACHE_TTL_MS'
      ];
    expect(String(ttl(prod.template, 'GetRestoreLambdaFunction'))).toBe('1000');
    expect(String(ttl(dev.template, 'GetRestoreLambdaFunction'))).toBe('0');
    for (const { template } of [dev, prod]) {
      for (const id of FUNCTION_IDS.filter((id) => id !== 'GetRestoreLambdaFunction'))
        expect(ttl(template, id)).toBeUndefined();
    }
  });

  it('configures no CORS on the HTTP API while the stage lists no origin', () => {
    for (const { template } of [dev, prod]) {
      expect(template.Parameters?.['CorsAllowedOrigins']?.Default).toBe('');
      const api = resolveIn(template, resource(template, 'HttpApi').Properties) as Record<string, unknown>;
      expect(api).toMatchObject({ ProtocolType: 'HTTP' });
      expect(api).not.toHaveProperty('CorsConfiguration');
    }
  });

  it("answers CORS on the HTTP API for the stage's origins, as lib/http/cors.ts answers locally", () => {
    const { template } = devWithOrigins;
    const api = resolveIn(template, resource(template, 'HttpApi').Properties) as Record<string, unknown>;
    const allowed = new Set(ORIGINS);
    const origin = ORIGINS[0] as string;
    const local =
      preflight('OPTIONS', { origin, 'access-control-request-method': 'GET' }, allowed)?.headers ?? {};
    const list = (value: string | undefined) => String(value).split(', ');
    expect(api['CorsConfiguration']).toEqual({
      AllowOrigins: ORIGINS,
      AllowCredentials: local['Access-Control-Allow-Credentials'] === 'true',
      AllowHeaders: list(local['Access-Control-Allow-Headers']),
      AllowMethods: list(local['Access-Control-Allow-Methods']),
      ExposeHeaders: list(corsHeaders(origin, allowed)['Access-Control-Expose-Headers']),
      MaxAge: Number(local['Access-Control-Max-Age']),
    });
    for (const name of ['SEC', 'Version', 'Range', 'Authorization', 'Accept'])
      expect(api['CorsConfiguration']).toMatchObject({ AllowHeaders: expect.arrayContaining([name]) });
    // The functions read the same list (lib/http/cors.ts, for callers that bypass API Gateway's CORS).
    for (const id of FUNCTION_IDS)
      expect(props(template, id)['Environment']).toMatchObject({
        Variables: { CORS_ALLOWED_ORIGINS: ORIGINS.join(',') },
      });
  });

  it('accepts only origins as browsers send them, comma-separated, for the CORS list', () => {
    const pattern = new RegExp(String(dev.template.Parameters?.['CorsAllowedOrigins']?.AllowedPattern));
    for (const good of ['', 'https://a.example', 'https://a.example,http://localhost:8080'])
      expect(good).toMatch(pattern);
    for (const bad of [
      '*',
      'https://a.example, https://b.example',
      'https://a.example/',
      'a.example',
      'https://a.example,',
    ])
      expect(bad).not.toMatch(pattern);
  });

  it('refuses a stage that has no params block', async () => {
    await expect(packageStage('staging')).rejects.toThrow(
      /Cannot resolve variable at "provider.environment.RESTORES_TABLE": Value not found at "param" source/,
    );
  });

  it('keeps the tables encrypted, recoverable and retained, keyed as the service reads them', () => {
    const keys = {
      RestoresTable: 'id',
      AuthorizedServicesTable: 'token_hash',
      AuthorizedUsersTable: 'username',
    };
    expect(
      resourcesOfType(dev.template, 'AWS::DynamoDB::Table')
        .map(([id]) => id)
        .sort(),
    ).toEqual(Object.keys(keys).sort());
    for (const [id, key] of Object.entries(keys)) {
      const table = resource(dev.template, id);
      // Retained with the stack and on replacement; deleted only by the rollback of the
      // operation that created it, so that a failed first deploy can simply be retried.
      expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: key === 'id' ? 'N' : 'S' }],
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('protects the tables from deletion in prod only', () => {
    for (const [id] of resourcesOfType(dev.template, 'AWS::DynamoDB::Table')) {
      expect(props(dev.template, id)['DeletionProtectionEnabled']).toBe(false);
      expect(props(prod.template, id)['DeletionProtectionEnabled']).toBe(true);
    }
  });

  it('gives each function a role of its own, allowing only what it does', () => {
    // Besides CodeDeploy's (test/infra/deploy.test.ts), every role is a function's.
    expect(
      resourcesOfType(dev.template, 'AWS::IAM::Role')
        .map(([id]) => id)
        .filter((id) => id !== 'CodeDeployServiceRole')
        .sort(),
    ).toEqual([
      'ApiDocRole',
      'ApiRole',
      'GetRestoreRole',
      'ListRestoresRole',
      'PublishStatusChangesRole',
      'RestoreWatcherRole',
    ]);
    expect(statementsOf(dev.template, 'GetRestoreLambdaFunction')).toEqual([
      logs('GetRestore'),
      getItem('RestoresTable', 'AuthorizedServicesTable', 'AuthorizedUsersTable'),
      XRAY,
    ]);
    // The list reads the restores with Scan and BatchGetItem (a slice by key), and nothing else.
    expect(statementsOf(dev.template, 'ListRestoresLambdaFunction')).toEqual([
      logs('ListRestores'),
      {
        Effect: 'Allow',
        Action: ['dynamodb:Scan', 'dynamodb:BatchGetItem'],
        Resource: [tableArn('RestoresTable')],
      },
      getItem('AuthorizedServicesTable', 'AuthorizedUsersTable'),
      XRAY,
    ]);
    expect(statementsOf(dev.template, 'ApiLambdaFunction')).toEqual([
      logs('Api'),
      getItem('AuthorizedServicesTable', 'AuthorizedUsersTable'),
      XRAY,
    ]);
    expect(statementsOf(dev.template, 'ApiDocLambdaFunction')).toEqual([logs('ApiDoc'), XRAY]);
    // The events it needs come on its queue: it reads nothing else and invokes nothing.
    expect(statementsOf(dev.template, 'RestoreWatcherLambdaFunction')).toEqual([
      logs('RestoreWatcher'),
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: [getAtt('RestoreWatchQueue')],
      },
      XRAY,
    ]);
    // Reads the table's stream, publishes on the stage's bus, and keeps what it cannot publish.
    expect(statementsOf(dev.template, 'PublishStatusChangesLambdaFunction')).toEqual([
      logs('PublishStatusChanges'),
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ],
        // The table's streams: the role needs no stream label, so it is made before the table.
        Resource: [tableArn('RestoresTable', '/stream/*')],
      },
      {
        Effect: 'Allow',
        Action: ['events:PutEvents'],
        Resource: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':event-bus/default',
              ],
            ],
          },
        ],
      },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [getAtt('StatusChangesDeadLetterQueue')] },
      XRAY,
    ]);
  });

  it('grants no wildcard action, and a wildcard resource only to the X-Ray writes, which take no other', () => {
    const statements = resourcesOfType(dev.template, 'AWS::IAM::Role').flatMap(([, role]) =>
      ((role.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    );
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) expect(action).not.toMatch(/\*/);
      if (statement.Resource.includes('*')) expect(statement).toEqual(XRAY);
    }
  });

  it('publishes a version of every function and points a `live` alias at it', () => {
    const aliases = resourcesOfType(dev.template, 'AWS::Lambda::Alias');
    expect(aliases.map(([id]) => id).sort()).toEqual(
      Object.values(FUNCTIONS)
        .map((id) => `${id}LiveAlias`)
        .sort(),
    );
    for (const [, { Properties }] of aliases) {
      const functionId = (Properties['FunctionName'] as { Ref: string }).Ref;
      const [versionId] = (Properties['FunctionVersion'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
      expect(Properties['Name']).toBe('live');
      expect(resource(dev.template, versionId)).toMatchObject({
        Type: 'AWS::Lambda::Version',
        DeletionPolicy: 'Retain', // older versions stay, to roll back to
        Properties: { FunctionName: { Ref: functionId } },
      });
    }
  });

  it('has the API, its permissions and the queue call the alias, never the bare function', () => {
    const integrations = resourcesOfType(dev.template, 'AWS::ApiGatewayV2::Integration');
    expect(integrations).toHaveLength(4);
    for (const [, integration] of integrations) {
      const functionId = String(integration.DependsOn).replace('LiveAlias', 'LambdaFunction');
      expect(integration.Properties['IntegrationUri']).toEqual(alias(functionId));
    }
    const permissions = resourcesOfType(dev.template, 'AWS::Lambda::Permission');
    expect(permissions.map(([id]) => id).sort()).toEqual([
      'ApiDocLambdaPermissionHttpApi',
      'ApiLambdaPermissionHttpApi',
      'GetRestoreLambdaPermissionHttpApi',
      'ListRestoresLambdaPermissionHttpApi',
    ]);
    for (const [id, permission] of permissions) {
      expect(permission.Properties['FunctionName']).toEqual(
        alias(id.replace('LambdaPermissionHttpApi', 'LambdaFunction')),
      );
    }
    const mappings = resourcesOfType(dev.template, 'AWS::Lambda::EventSourceMapping').map(
      ([, mapping]) => mapping.Properties['FunctionName'],
    );
    expect(mappings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      alias('PublishStatusChangesLambdaFunction'),
      alias('RestoreWatcherLambdaFunction'),
    ]);
  });

  it("announces status changes on the stage's bus, the account's default one in both stages", () => {
    for (const { template } of [dev, prod]) {
      expect(props(template, 'PublishStatusChangesLambdaFunction')['Environment']).toMatchObject({
        Variables: { EVENT_BUS_NAME: 'default' },
      });
      expect(props(template, 'RestoreFinishedRule')['EventBusName']).toBe('default');
    }
  });

  it('traces every function actively with X-Ray', () => {
    for (const id of FUNCTION_IDS) {
      expect(props(dev.template, id)['TracingConfig']).toEqual({ Mode: 'Active' });
      expect(props(prod.template, id)['TracingConfig']).toEqual({ Mode: 'Active' });
    }
  });

  it("logs JSON lines at the stage's level: DEBUG in dev, INFO in prod", () => {
    for (const id of FUNCTION_IDS) {
      expect(props(dev.template, id)['LoggingConfig']).toEqual({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'DEBUG',
        SystemLogLevel: 'INFO',
      });
      expect(props(prod.template, id)['LoggingConfig']).toEqual({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'INFO',
      });
    }
  });

  it('reserves no concurrency by default, so that a new account can deploy either stage', async () => {
    const serverlessYml = await readFile(new URL('../../serverless.yml', import.meta.url), 'utf8');
    for (const { template } of [dev, prod]) {
      for (const id of FUNCTION_IDS)
        expect(props(template, id)).not.toHaveProperty('ReservedConcurrentExecutions');
    }
    // A parameter per function, unreserved (null) in both stages; a new function gets one too.
    const config = load(serverlessYml, { schema: CFN_SCHEMA }) as {
      params: Record<string, Json>;
      functions: Record<string, { reservedConcurrency?: unknown }>;
    };
    for (const stage of ['dev', 'prod']) {
      for (const name of Object.keys(FUNCTIONS))
        expect(config.params[stage], `${stage}: ${name}Concurrency`).toHaveProperty(
          `${name}Concurrency`,
          null,
        );
    }
    expect(Object.keys(config.functions).sort()).toEqual([...Object.keys(FUNCTIONS), 'syncRestores'].sort());
    for (const name of Object.keys(FUNCTIONS))
      expect(config.functions[name]?.reservedConcurrency, name).toBe(`\${param:${name}Concurrency, null}`);
    // The one exception, deliberate and only on a stage with a console: the sync reserves 1, so
    // that two passes never overlap (contract section 14; test/infra/sync.test.ts).
    expect(config.functions['syncRestores']?.reservedConcurrency).toBe(1);
    // The example consumer's pollers, per stage (SQS takes 2 to 1000).
    const pollers = (template: Template) =>
      props(template, 'RestoreWatcherEventSourceMappingSQSRestoreWatchQueue')['ScalingConfig'];
    expect(pollers(dev.template)).toEqual({ MaximumConcurrency: 2 });
    expect(pollers(prod.template)).toEqual({ MaximumConcurrency: 5 });
  });

  it('sizes the functions per stage; the API page keeps its own small size', () => {
    expect(props(dev.template, 'GetRestoreLambdaFunction')['MemorySize']).toBe(512);
    expect(props(prod.template, 'GetRestoreLambdaFunction')['MemorySize']).toBe(1024);
    expect(props(prod.template, 'ApiDocLambdaFunction')['MemorySize']).toBe(256);
  });

  it('names every stage-specific resource after its stage', () => {
    const names = (template: Template) =>
      resourcesOfType(template, 'AWS::Lambda::Function').map(([, fn]) => fn.Properties['FunctionName']);
    expect(names(dev.template).every((name) => String(name).startsWith('qradar-restores-dev-'))).toBe(true);
    expect(names(prod.template).every((name) => String(name).startsWith('qradar-restores-prod-'))).toBe(true);
  });

  it('throttles the API stage and keeps access logs with latency and integration errors for 30 days', () => {
    const stage = props(dev.template, 'HttpApiStage');
    expect(stage).toMatchObject({
      DefaultRouteSettings: {
        ThrottlingRateLimit: 100,
        ThrottlingBurstLimit: 200,
        DetailedMetricsEnabled: true,
      },
      AccessLogSettings: { DestinationArn: getAtt('HttpApiLogGroup') },
    });
    const format = JSON.parse(String((stage['AccessLogSettings'] as { Format: string }).Format));
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      lambdaRequestId: '$context.awsEndpointRequestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLatency: '$context.responseLatency',
      integrationLatency: '$context.integrationLatency',
      integrationStatus: '$context.integrationStatus',
      integrationErrorMessage: '$context.integrationErrorMessage',
      errorMessage: '$context.error.message',
    });
    // No header at all, so neither SEC nor Authorization can reach the access log.
    expect(Object.values(format).some((v) => /header/i.test(String(v)))).toBe(false);
    for (const [, group] of resourcesOfType(dev.template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties['RetentionInDays']).toBe(30);
    }
  });

  it("keeps prod's access log lean: request id, caller, method, path, status and latency only", () => {
    const stage = props(prod.template, 'HttpApiStage');
    const format = JSON.parse(String((stage['AccessLogSettings'] as { Format: string }).Format));
    expect(format).toEqual({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      latency: '$context.responseLatency',
    });
  });

  it("e-mails alarms to the stage's address, with no subscription where it is empty", () => {
    // No placeholder address in either stage: prod's is given when it is packaged.
    expect(dev.template.Parameters?.['AlarmEmail']?.Default).toBe('');
    expect(prod.template.Parameters?.['AlarmEmail']?.Default).toBe(PROD_ALARMS['alarmEmail']);
    for (const { template } of [dev, prod]) {
      expect(template.Conditions?.['HasAlarmEmail']).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }],
      });
      expect(resource(template, 'AlarmEmailSubscription')).toMatchObject({
        Condition: 'HasAlarmEmail',
        Properties: { Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' }, TopicArn: { Ref: 'AlarmTopic' } },
      });
    }
  });
});

describe('cfn-lint', () => {
  it('finds no error and no unexplained warning in the dev and prod templates, CORS on or off', async () => {
    for (const findings of await Promise.all([dev, prod, devWithOrigins].map(lintProblems))) {
      expect(findings).toEqual([]);
    }
  }, 120_000);

  it('finds nothing at all in the SAM template', async () => {
    expect(await cfnLint(fileURLToPath(new URL('../../infra/template.yaml', import.meta.url)))).toEqual([]);
  }, 60_000);

  it('has each explained rule explained in docs/OPERATIONS.md', async () => {
    const operations = await readFile(new URL('../../docs/OPERATIONS.md', import.meta.url), 'utf8');
    for (const id of EXPLAINED) expect(operations).toContain(id);
  });
});

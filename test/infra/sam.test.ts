// infra/template.yaml (SAM) against serverless.yml, compared as deployed: the template SAM's
// translator generates (offline, as cfn-lint runs it) against the one `sls package` generates,
// read the same way: functions by handler, routes to handlers, the actions each function's
// role allows on which resource, tables, queues, event source mappings, the status changes'
// rule, the sync's schedule, throttles and the access log; on a stage without a console and
// on one with (where both have the sync function, SAM under its HasConsole condition). SAM CLI needs
// Docker, which this project's machines lack; this is what keeps the SAM template honest.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveIn } from '../support/intrinsics.ts';
import {
  PROD_ALARMS,
  packageStage,
  type Resource,
  resourcesOfType,
  type Template,
} from '../support/package.ts';
import { transformSam } from '../support/sam.ts';

const SAM_FILE = fileURLToPath(new URL('../../infra/template.yaml', import.meta.url));

/** A console, as `--param` gives it to serverless and `--parameter-overrides` to SAM. */
const TOKEN_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-restores-dev-console-token-AbCdEf';
const CONSOLE = { consoleUrl: 'https://qradar.example.com', consoleTokenSecretArn: TOKEN_ARN };
const SAM_CONSOLE = { ConsoleUrl: CONSOLE.consoleUrl, ConsoleTokenSecretArn: TOKEN_ARN };

type Json = Record<string, unknown>;

/**
 * The SAM template as CloudFormation deploys it with these parameters: the resources whose
 * condition holds, their properties resolved (parameters, Fn::If); Metadata as written.
 */
const deployedSam = (template: Template, overrides: Record<string, string> = {}): Template => ({
  ...template,
  Resources: Object.fromEntries(
    Object.entries(template.Resources)
      .filter(
        ([, r]) =>
          r.Condition === undefined ||
          resolveIn(template, { 'Fn::If': [r.Condition, true, false] }, overrides),
      )
      .map(([id, r]) => [id, { ...r, Properties: resolveIn(template, r.Properties, overrides) as Json }]),
  ),
});

/** The SAM template, translated, and as deployed without a console and with one. */
let sam: Template;
let samPlain: Template;
let samConsole: Template;
let dev: Template;
let devConsole: Template;
let prod: Template;

beforeAll(async () => {
  const [transformed, packagedDev, packagedConsole, packagedProd] = await Promise.all([
    transformSam(SAM_FILE),
    packageStage('dev'),
    packageStage('dev', CONSOLE),
    packageStage('prod', PROD_ALARMS),
  ]);
  sam = transformed;
  samPlain = deployedSam(sam);
  samConsole = deployedSam(sam, SAM_CONSOLE);
  dev = packagedDev.template;
  devConsole = packagedConsole.template;
  prod = packagedProd.template;
}, 600_000);

const resource = (template: Template, id: string): Resource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found;
};

/** A parameter reference as deployed with its default; anything else as written. */
const withDefaults = (template: Template, value: unknown): unknown => {
  if (Array.isArray(value)) return value.map((v) => withDefaults(template, v));
  if (typeof value !== 'object' || value === null) return value;
  const { Ref: ref } = value as { Ref?: unknown };
  if (typeof ref === 'string' && template.Parameters?.[ref] !== undefined)
    return template.Parameters[ref].Default;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(template, v)]));
};

/** `handlers/NAME.handler` for a function of either template. */
const handlerOf = (template: Template, functionId: string): string => {
  const fn = resource(template, functionId) as Resource & { Metadata?: Json };
  const handler = String(fn.Properties['Handler']);
  if (handler.startsWith('handlers/')) return handler;
  const [entry] = ((fn.Metadata?.['BuildProperties'] as Json | undefined)?.['EntryPoints'] ?? []) as string[];
  return `${String(entry).replace(/\.ts$/, '')}.${handler.split('.').pop()}`;
};

/** The function an alias, or the function itself, stands for. */
const functionBehind = (template: Template, id: string): string => {
  const r = resource(template, id);
  if (r.Type === 'AWS::Lambda::Function') return id;
  if (r.Type === 'AWS::Lambda::Alias') return String((r.Properties['FunctionName'] as { Ref: string }).Ref);
  throw new Error(`${id} is neither a function nor an alias`);
};

/** A function's or log group's name, the stack's name as serverless names the dev stack. */
const nameText = (node: unknown): string =>
  typeof node === 'string'
    ? node
    : String((node as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub']).replace(
        `\${AWS::StackName}`,
        'qradar-restores-dev',
      );

/** Each function by handler, with what a caller of it meets. */
const functions = (template: Template) =>
  Object.fromEntries(
    resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const p = withDefaults(template, fn.Properties) as Json;
      const variables = Object.keys((p['Environment'] as { Variables: Json }).Variables).filter(
        (name) => name !== 'DYNAMODB_ENDPOINT', // SAM's only: the local endpoint
      );
      const aliases = resourcesOfType(template, 'AWS::Lambda::Alias').filter(
        ([, a]) => (a.Properties['FunctionName'] as { Ref: string }).Ref === id,
      );
      const invokeConfigs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')
        .filter(([, c]) => (c.Properties['FunctionName'] as { Ref?: string }).Ref === id)
        .map(([, c]) => ({
          qualifier: c.Properties['Qualifier'],
          retries: c.Properties['MaximumRetryAttempts'],
        }));
      // Its own log group, by the name Lambda writes to, and how long it keeps the lines.
      const name = nameText(p['FunctionName']);
      const [[, logGroup] = []] = resourcesOfType(template, 'AWS::Logs::LogGroup').filter(
        ([, g]) => nameText(g.Properties['LogGroupName']) === `/aws/lambda/${name}`,
      );
      return [
        handlerOf(template, id),
        {
          runtime: p['Runtime'],
          architectures: p['Architectures'],
          memory: p['MemorySize'],
          timeout: p['Timeout'],
          tracing: p['TracingConfig'],
          logging: p['LoggingConfig'],
          variables: variables.sort(),
          aliases: aliases.map(([, a]) => a.Properties['Name']),
          reservedConcurrency: p['ReservedConcurrentExecutions'],
          vpc: p['VpcConfig'],
          invokeConfigs,
          logRetention: logGroup?.Properties['RetentionInDays'],
        },
      ];
    }),
  );

/** Route key → handler, from serverless's Route resources or from SAM's OpenAPI body. */
const routes = (template: Template): Record<string, string> => {
  const routeResources = resourcesOfType(template, 'AWS::ApiGatewayV2::Route');
  if (routeResources.length > 0) {
    return Object.fromEntries(
      routeResources.map(([, route]) => {
        const [, [, { Ref: integrationId }]] = (
          route.Properties['Target'] as { 'Fn::Join': [string, [string, { Ref: string }]] }
        )['Fn::Join'];
        const uri = resource(template, integrationId).Properties['IntegrationUri'] as {
          'Fn::Join': [string, [{ 'Fn::GetAtt': [string, string] }, string]];
        };
        const functionId = uri['Fn::Join'][1][0]['Fn::GetAtt'][0];
        return [String(route.Properties['RouteKey']), handlerOf(template, functionId)];
      }),
    );
  }
  const [[, api] = []] = resourcesOfType(template, 'AWS::ApiGatewayV2::Api');
  const body = api?.Properties['Body'] as { paths: Record<string, Record<string, Json>> } | undefined;
  const paths = body?.paths ?? {};
  return Object.fromEntries(
    Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const uri = (operation['x-amazon-apigateway-integration'] as { uri: { 'Fn::Sub': string } }).uri[
          'Fn::Sub'
        ];
        const [, aliasId] = /functions\/\$\{(\w+)\}\/invocations/.exec(uri) ?? [];
        const verb = method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase();
        const key = path === '$default' ? '$default' : `${verb} ${path}`;
        return [key, handlerOf(template, functionBehind(template, String(aliasId)))];
      }),
    ),
  );
};

/** An ARN written as text, Fn::Sub or Fn::Join, with parameters at their defaults. */
const arnText = (template: Template, node: unknown): string | undefined => {
  const n = node as { 'Fn::Sub'?: string; 'Fn::Join'?: [string, unknown[]] };
  const parameter = (name: string) => {
    const found = template.Parameters?.[name];
    return found === undefined ? `\${${name}}` : String(found.Default);
  };
  if (typeof n['Fn::Sub'] === 'string')
    return n['Fn::Sub'].replace(/\$\{([\w:]+)\}/g, (_, name) => parameter(name));
  if (n['Fn::Join']) {
    const [separator, parts] = n['Fn::Join'];
    return parts
      .map((part) => (typeof part === 'string' ? part : parameter(String((part as { Ref: string }).Ref))))
      .join(separator);
  }
  return undefined;
};

/**
 * handler → the "action on resource" pairs its role allows, resources named the same way in
 * both templates: a table by logical id (however its ARN is written), its streams as the
 * table's (serverless.yml's roles name TABLE/stream/*, made before the table; SAM's the
 * stream), an event bus by name, a function's alias by its handler, anything else by logical id.
 */
const permissions = (template: Template) => {
  const tableIds = new Map(
    resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, t]) => [
      String(withDefaults(template, t.Properties['TableName'])),
      id,
    ]),
  );
  const target = (node: unknown): string => {
    if (node === '*') return '*';
    // A secret's ARN, as the stage gives it.
    if (typeof node === 'string' && node.startsWith('arn:')) return node;
    const text = arnText(template, node);
    if (text !== undefined) {
      const [, table, streams] = /:table\/([^/]+)(\/stream\/\*)?$/.exec(text) ?? [];
      const id = tableIds.get(String(table));
      if (id) return streams ? `${id} streams` : id;
      const [, bus] = /:event-bus\/([^/]+)$/.exec(text) ?? [];
      if (bus) return `event bus ${bus}`;
    }
    const n = node as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    const [attributeOf, attribute] = n['Fn::GetAtt'] ?? [];
    if (attribute === 'StreamArn') return `${attributeOf} streams`;
    const id = n.Ref ?? attributeOf;
    if (id === undefined) throw new Error(`cannot name ${JSON.stringify(node)}`);
    return resource(template, id).Type === 'AWS::Lambda::Alias'
      ? `alias of ${handlerOf(template, functionBehind(template, id))}`
      : id;
  };
  return Object.fromEntries(
    resourcesOfType(template, 'AWS::Lambda::Function').map(([id, fn]) => {
      const roleId = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const role = resource(template, roleId);
      expect(role.Properties['ManagedPolicyArns'], roleId).toBeUndefined();
      const statements = (role.Properties['Policies'] as { PolicyDocument: { Statement: Json[] } }[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      );
      const pairs = statements.flatMap((s) => {
        expect(s['Effect']).toBe('Allow');
        return [s['Action']]
          .flat()
          .flatMap((action) => [s['Resource']].flat().map((r) => `${String(action)} on ${target(r)}`));
      });
      return [handlerOf(template, id), pairs.sort()];
    }),
  );
};

const tables = (template: Template) =>
  Object.fromEntries(
    resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, t]) => {
      const { TableName, DeletionProtectionEnabled, ...settings } = t.Properties;
      return [
        id,
        { ...settings, DeletionPolicy: t.DeletionPolicy, UpdateReplacePolicy: t.UpdateReplacePolicy },
      ];
    }),
  );

const stageOf = (template: Template) => {
  const [[, stage] = []] = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage');
  if (stage === undefined) throw new Error('no HTTP API stage');
  return stage.Properties;
};

describe('infra/template.yaml (SAM), as deployed, against serverless.yml', () => {
  it('has the same functions, by handler, with the same runtime, memory, timeout, logs, tracing, alias, reservation and retries', () => {
    const packaged = functions(dev);
    expect(Object.keys(packaged).sort()).toEqual([
      'handlers/api.handler',
      'handlers/apiDoc.handler',
      'handlers/getRestore.handler',
      'handlers/listRestores.handler',
      'handlers/publishStatusChanges.handler',
      'handlers/restoreWatcher.handler',
    ]);
    expect(packaged['handlers/getRestore.handler']?.variables).toContain('RESTORE_CACHE_TTL_MS');
    expect(packaged['handlers/publishStatusChanges.handler']?.variables).toContain('EVENT_BUS_NAME');
    // The watcher reads what its events carry and calls no other function.
    expect(packaged['handlers/restoreWatcher.handler']?.variables).not.toContain('RESTORE_FUNCTION_NAME');
    // The list reads the whole table: twice the others' timeout.
    expect(packaged['handlers/listRestores.handler']).toMatchObject({ timeout: 20, logRetention: 30 });
    expect(functions(samPlain)).toEqual(packaged);
    // With a console, the sync too: one pass at a time, never retried.
    const withConsole = functions(devConsole);
    expect(Object.keys(withConsole).sort()).toEqual(
      [...Object.keys(packaged), 'handlers/syncRestores.handler'].sort(),
    );
    expect(withConsole['handlers/syncRestores.handler']).toMatchObject({
      timeout: 50,
      reservedConcurrency: 1,
      invokeConfigs: [{ qualifier: 'live', retries: 0 }],
      logRetention: 30,
      variables: expect.arrayContaining([
        'QRADAR_CONSOLE_URL',
        'CONSOLE_TOKEN_SECRET_ARN',
        'CONSOLE_CA_SECRET_ARN',
      ]),
    });
    expect(functions(samConsole)).toEqual(withConsole);
  });

  it("sets the stage's event bus and restore cache TTL where SAM has a parameter, dev's by default", () => {
    const value = (template: Template, handler: string, name: string) => {
      const [[, fn] = []] = resourcesOfType(template, 'AWS::Lambda::Function').filter(
        ([id]) => handlerOf(template, id) === handler,
      );
      if (fn === undefined) throw new Error(`no function runs ${handler}`);
      const { Variables } = fn.Properties['Environment'] as { Variables: Json };
      return String(withDefaults(template, Variables[name]));
    };
    for (const [handler, name, expected] of [
      ['handlers/publishStatusChanges.handler', 'EVENT_BUS_NAME', 'default'],
      ['handlers/getRestore.handler', 'RESTORE_CACHE_TTL_MS', '0'],
    ] as const) {
      expect(value(dev, handler, name)).toBe(expected);
      expect(value(sam, handler, name)).toBe(expected);
    }
  });

  it('builds each handler from its own entry point with the same esbuild essentials', () => {
    const functionIds = resourcesOfType(sam, 'AWS::Lambda::Function').map(([id]) => id);
    expect(functionIds).toHaveLength(7);
    for (const id of functionIds) {
      const metadata = (resource(sam, id) as Resource & { Metadata?: Json }).Metadata;
      expect(metadata).toMatchObject({
        BuildMethod: 'esbuild',
        BuildProperties: {
          Format: 'esm',
          Minify: true,
          Target: 'node24',
          MainFields: 'module,main',
          EntryPoints: [handlerOf(sam, id).replace(/\.handler$/, '.ts')],
        },
      });
    }
  });

  it('routes every path to the same handler, `$default` and the API page included', () => {
    const packaged = routes(dev);
    expect(packaged).toEqual({
      'ANY /api/backup_and_restore/restores/{id}': 'handlers/getRestore.handler',
      'ANY /api/backup_and_restore/restores': 'handlers/listRestores.handler',
      'GET /api_doc': 'handlers/apiDoc.handler',
      'GET /api_doc/{asset}': 'handlers/apiDoc.handler',
      'GET /favicon.ico': 'handlers/apiDoc.handler',
      $default: 'handlers/api.handler',
    });
    expect(routes(sam)).toEqual(packaged);
  });

  it('runs the sync on the same schedule, on its `live` alias, only with a console', () => {
    /** handler → its schedule rules. */
    const schedules = (template: Template) =>
      Object.fromEntries(
        resourcesOfType(template, 'AWS::Events::Rule')
          .filter(([, rule]) => rule.Properties['ScheduleExpression'] !== undefined)
          .map(([, rule]) => {
            const [target] = rule.Properties['Targets'] as { Arn: unknown }[];
            // SAM names the alias; serverless writes its ARN out, function ARN and `live`.
            const arn = target?.Arn as {
              Ref?: string;
              'Fn::Join'?: [string, [{ 'Fn::GetAtt': [string] }, string]];
            };
            const functionId = arn.Ref
              ? functionBehind(template, arn.Ref)
              : String(arn['Fn::Join']?.[1][0]['Fn::GetAtt'][0]);
            expect(arn.Ref ?? arn['Fn::Join']?.[1][1]).toMatch(/live$/);
            return [
              handlerOf(template, functionId),
              [rule.Properties['ScheduleExpression'], rule.Properties['State'] ?? 'ENABLED'],
            ];
          }),
      );
    expect(schedules(dev)).toEqual({});
    expect(schedules(samPlain)).toEqual({});
    expect(schedules(devConsole)).toEqual({ 'handlers/syncRestores.handler': ['rate(1 minute)', 'ENABLED'] });
    expect(schedules(samConsole)).toEqual(schedules(devConsole));
  });

  it('lets each function do the same actions on the same resources, and no more', () => {
    // Each role its own, no managed policy (permissions() checks): SAM's generated role for a
    // stream would attach AWSLambdaDynamoDBExecutionRole, which reads every stream.
    const packaged = permissions(devConsole);
    expect(packaged['handlers/getRestore.handler']).toContain('dynamodb:GetItem on RestoresTable');
    expect(packaged['handlers/listRestores.handler']).toEqual([
      'dynamodb:BatchGetItem on RestoresTable',
      'dynamodb:GetItem on AuthorizedServicesTable',
      'dynamodb:GetItem on AuthorizedUsersTable',
      'dynamodb:Scan on RestoresTable',
      'logs:CreateLogStream on ListRestoresLogGroup',
      'logs:PutLogEvents on ListRestoresLogGroup',
      'xray:PutTelemetryRecords on *',
      'xray:PutTraceSegments on *',
    ]);
    expect(packaged['handlers/syncRestores.handler']).toEqual(
      expect.arrayContaining([
        'dynamodb:DeleteItem on RestoresTable',
        'dynamodb:PutItem on RestoresTable',
        'dynamodb:Scan on RestoresTable',
        `secretsmanager:GetSecretValue on ${TOKEN_ARN}`,
      ]),
    );
    expect(packaged['handlers/restoreWatcher.handler']).toContain('sqs:ReceiveMessage on RestoreWatchQueue');
    expect(packaged['handlers/restoreWatcher.handler']?.filter((p) => p.startsWith('lambda:'))).toEqual([]);
    expect(packaged['handlers/publishStatusChanges.handler']).toEqual(
      expect.arrayContaining([
        'dynamodb:GetRecords on RestoresTable streams',
        'events:PutEvents on event bus default',
        'sqs:SendMessage on StatusChangesDeadLetterQueue',
      ]),
    );
    expect(permissions(samConsole)).toEqual(packaged);
    // Without a console, no function may do what the sync does.
    expect(permissions(samPlain)).toEqual(permissions(dev));
    expect(JSON.stringify(permissions(dev))).not.toMatch(/secretsmanager|PutItem|DeleteItem/);
  });

  it('gives each role the same permissions boundary parameter', () => {
    for (const template of [sam, devConsole]) {
      expect(resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id)).toContain('SyncRestoresRole');
      for (const [, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
        expect(role.Properties['PermissionsBoundary']).toEqual({
          'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }],
        });
      }
    }
    expect(sam.Parameters?.['PermissionsBoundaryArn']?.AllowedPattern).toBe(
      dev.Parameters?.['PermissionsBoundaryArn']?.AllowedPattern,
    );
  });

  it('defines the same tables: keys, billing, encryption, recovery, stream and retention', () => {
    expect(Object.keys(tables(dev)).sort()).toEqual([
      'AuthorizedServicesTable',
      'AuthorizedUsersTable',
      'RestoresTable',
    ]);
    expect(tables(sam)).toEqual(tables(dev));
    // Deletion protection: a parameter in SAM, off by default as in dev.
    for (const [id, table] of resourcesOfType(sam, 'AWS::DynamoDB::Table')) {
      expect(String(withDefaults(sam, table.Properties['DeletionProtectionEnabled']))).toBe(
        String(resource(dev, id).Properties['DeletionProtectionEnabled']),
      );
    }
  });

  it('feeds the example consumer and the publisher from the same queue and stream, with the same batches, retries and dead-letter queues', () => {
    for (const id of ['RestoreWatchQueue', 'RestoreWatchDeadLetterQueue', 'StatusChangesDeadLetterQueue']) {
      expect(resource(sam, id).Properties).toEqual(resource(dev, id).Properties);
    }
    /** handler → its event source mapping's settings. */
    const mappings = (template: Template) =>
      Object.fromEntries(
        resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(([, m]) => {
          const { FunctionName, ...settings } = m.Properties;
          // SAM names the alias; serverless writes its ARN out, function ARN and `live`.
          const target = FunctionName as {
            Ref?: string;
            'Fn::Join'?: [string, [{ 'Fn::GetAtt': [string] }, string]];
          };
          const functionId = target.Ref
            ? functionBehind(template, target.Ref)
            : String(target['Fn::Join']?.[1][0]['Fn::GetAtt'][0]);
          expect(target.Ref ?? target['Fn::Join']?.[1][1]).toMatch(/live$/);
          return [handlerOf(template, functionId), settings];
        }),
      );
    const packaged = mappings(dev);
    expect(Object.keys(packaged).sort()).toEqual([
      'handlers/publishStatusChanges.handler',
      'handlers/restoreWatcher.handler',
    ]);
    expect(packaged['handlers/publishStatusChanges.handler']).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['RestoresTable', 'StreamArn'] },
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['StatusChangesDeadLetterQueue', 'Arn'] } },
      },
    });
    expect(mappings(sam)).toEqual(packaged);
  });

  it("hands finished restores to the watcher's queue by the same rule, on the same bus, which alone may send to it", () => {
    for (const id of ['RestoreFinishedRule', 'RestoreWatchQueuePolicy']) {
      expect(withDefaults(sam, resource(sam, id).Properties), id).toEqual(resource(dev, id).Properties);
    }
    expect(resource(dev, 'RestoreFinishedRule').Properties['EventBusName']).toBe('default');
  });

  it("throttles the stage and the /api_doc routes alike, and writes prod's lean access log", () => {
    const samStage = stageOf(sam);
    for (const key of ['DefaultRouteSettings', 'RouteSettings'])
      expect(samStage[key]).toEqual(stageOf(dev)[key]);
    expect(samStage['AccessLogSettings']).toEqual(stageOf(prod)['AccessLogSettings']);
    for (const template of [sam, dev]) {
      for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup'))
        expect(group.Properties['RetentionInDays']).toBe(30);
    }
  });

  it('configures CORS on the HTTP API as serverless.yml does: only when origins are listed', async () => {
    const { load } = await import('js-yaml');
    const source = load(await readFile(SAM_FILE, 'utf8')) as Template;
    const cors = source.Resources['HttpApi']?.Properties['CorsConfiguration'];
    expect(cors).toEqual(resource(dev, 'HttpApi').Properties['CorsConfiguration']);
    expect(source.Conditions?.['HasCorsAllowedOrigins']).toEqual(dev.Conditions?.['HasCorsAllowedOrigins']);
    expect(source.Parameters?.['CorsAllowedOrigins']?.AllowedPattern).toBe(
      dev.Parameters?.['CorsAllowedOrigins']?.AllowedPattern,
    );
    expect(resolveIn(source, cors)).toBeUndefined();
    expect(
      resolveIn(source, cors, { CorsAllowedOrigins: 'https://a.example,https://b.example' }),
    ).toMatchObject({
      AllowOrigins: ['https://a.example', 'https://b.example'],
      AllowCredentials: true,
    });
  });

  it('says at its top what it leaves out, and leaves out nothing else serverless.yml deploys', async () => {
    const header = (await readFile(SAM_FILE, 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .map((line) => line.replace(/^#\s?/, ''))
      .join(' ');
    /** What serverless deploys that SAM leaves out, by type, and the words that say so. */
    const LEFT_OUT: Record<string, RegExp> = {
      'AWS::CloudWatch::Alarm': /the alarms/,
      'AWS::SNS::Topic': /the alarm topic/,
      'AWS::SNS::TopicPolicy': /the alarm topic/,
      'AWS::SNS::Subscription': /the alarm topic/,
      'AWS::KMS::Key': /the alarm topic and its key/,
      'AWS::CloudWatch::Dashboard': /the dashboard/,
      'AWS::Logs::MetricFilter': /the access-log metric of 429s/,
      'AWS::CodeDeploy::Application': /CodeDeploy's gradual moves/,
      'AWS::CodeDeploy::DeploymentGroup': /CodeDeploy's gradual moves/,
      // Serverless's bucket for its own artifacts; `sam deploy` brings its own.
      'AWS::S3::Bucket': /^/,
      'AWS::S3::BucketPolicy': /^/,
    };
    // SAM writes the routes and their integrations into the API's OpenAPI body (compared above).
    const samTypes = new Set([
      ...Object.values(sam.Resources).map((r) => r.Type),
      'AWS::ApiGatewayV2::Route',
      'AWS::ApiGatewayV2::Integration',
    ]);
    const missing = [...new Set(Object.values(devConsole.Resources).map((r) => r.Type))].filter(
      (t) => !samTypes.has(t),
    );
    expect(missing).toContain('AWS::CloudWatch::Alarm');
    for (const type of missing) {
      expect(
        LEFT_OUT[type],
        `${type} is in serverless.yml only, and the SAM template does not say so`,
      ).toBeDefined();
      expect(header).toMatch(LEFT_OUT[type] as RegExp);
    }
    // Also stated: what differs without a resource of its own.
    for (const words of [
      /custom domain/,
      /reserved concurrency/,
      /deletion protection/,
      /only when ConsoleUrl is set/,
    ])
      expect(header).toMatch(words);
  });
});

// SAM CLI needs Docker, which this project's machines lack; this keeps infra/template.yaml in
// step with what serverless.yml packages instead: the function, its route and permissions,
// the tables, and the operational settings (log retention, stage throttling, access log
// format, tracing, JSON logs, the `live` alias, CORS).

import { readFile } from 'node:fs/promises';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import tables from '../../infra/tables.json' with { type: 'json' };
import { resolveIn } from '../support/intrinsics.ts';
import { packageService, type Template } from '../support/package.ts';

interface SamTemplate {
  Transform: string;
  Parameters: Record<string, { Default?: unknown; AllowedPattern?: string }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
}

let sam: SamTemplate;
let packaged: Template;

beforeAll(async () => {
  sam = load(await readFile(new URL('../../infra/template.yaml', import.meta.url), 'utf8')) as SamTemplate;
  packaged = await packageService();
}, 120_000);

const samFunction = () => sam.Resources['GetRestoreFunction']?.Properties ?? {};
const packagedFunction = () => packaged.Resources['GetRestoreLambdaFunction']?.Properties ?? {};
const samProps = (id: string) => sam.Resources[id]?.Properties ?? {};
const packagedProps = (id: string) => packaged.Resources[id]?.Properties ?? {};

describe('infra/template.yaml (SAM)', () => {
  it('is a SAM template with the one serving function, and syncRestores only when a console is named', () => {
    expect(sam.Transform).toBe('AWS::Serverless-2016-10-31');
    const functions = Object.entries(sam.Resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function');
    expect(functions.map(([id]) => id).sort()).toEqual(['GetRestoreFunction', 'SyncRestoresFunction']);
    expect(sam.Resources['SyncRestoresFunction']).toMatchObject({ Condition: 'HasConsole' });
  });

  it('runs the same runtime, architecture, memory and timeout as serverless.yml', () => {
    for (const key of ['Runtime', 'Architectures', 'MemorySize', 'Timeout']) {
      expect(samFunction()[key]).toEqual(packagedFunction()[key]);
    }
    expect(samFunction()['Handler']).toBe(String(packagedFunction()['Handler']).replace('handlers/', ''));
  });

  it('builds the same entry point with the same esbuild essentials', () => {
    expect(sam.Resources['GetRestoreFunction']?.Metadata).toMatchObject({
      BuildMethod: 'esbuild',
      BuildProperties: {
        Format: 'esm',
        Minify: true,
        Target: 'node24',
        MainFields: 'module,main',
        EntryPoints: ['handlers/getRestore.ts'],
      },
    });
  });

  it('serves the same route', () => {
    const routeKeys = Object.values(packaged.Resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => String(r.Properties['RouteKey']))
      .filter((key) => key.includes('/restores/'));
    const events = Object.values(
      samFunction()['Events'] as Record<string, { Type: string; Properties: Record<string, string> }>,
    );
    expect(events.map((e) => `${e.Type} ${e.Properties['Method']} ${e.Properties['Path']}`)).toEqual(
      routeKeys.map((key) => `HttpApi ${key}`),
    );
  });

  it('sets the same environment variables, plus the local endpoint', () => {
    const packagedNames = Object.keys((packagedFunction()['Environment'] as { Variables: object }).Variables);
    const samNames = Object.keys((samFunction()['Environment'] as { Variables: object }).Variables);
    expect(samNames.sort()).toEqual([...packagedNames, 'DYNAMODB_ENDPOINT'].sort());
  });

  it('defines the three tables with the keys of infra/tables.json', () => {
    expect(Object.keys(tables.Resources)).toHaveLength(3);
    for (const [id, table] of Object.entries(tables.Resources)) {
      const { AttributeDefinitions, KeySchema, BillingMode } = table.Properties;
      expect(sam.Resources[id]?.Properties).toMatchObject({ AttributeDefinitions, KeySchema, BillingMode });
    }
  });

  it('grants the same data permission: dynamodb:GetItem on the three tables', () => {
    const packagedRole = packaged.Resources['GetRestoreRole']?.Properties as {
      Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown[] }[] } }[];
    };
    // Logs and X-Ray: SAM grants those itself (basic execution role, Tracing: Active).
    const dataStatements = packagedRole.Policies[0]?.PolicyDocument.Statement.filter((s) =>
      s.Action.some((a) => a.startsWith('dynamodb:')),
    );
    expect(dataStatements?.[0]?.Resource).toHaveLength(3);
    const samPolicies = samFunction()['Policies'] as { Statement: unknown[] }[];
    expect(samPolicies.flatMap((p) => p.Statement)).toEqual(
      dataStatements?.map((s) => ({ Effect: 'Allow', Action: s.Action, Resource: s.Resource })),
    );
  });

  it('keeps the function logs and the access logs as long as serverless.yml does', () => {
    const group = samProps('GetRestoreLogGroup');
    expect(group['RetentionInDays']).toBe(packagedProps('GetRestoreLogGroup')['RetentionInDays']);
    expect(group['LogGroupName']).toEqual({
      'Fn::Sub': expect.stringMatching(/^\/aws\/lambda\/\$\{GetRestoreFunction\}$/),
    });
    expect(samProps('HttpApiLogGroup')['RetentionInDays']).toBe(
      packagedProps('HttpApiLogGroup')['RetentionInDays'],
    );
  });

  it('throttles the API stage and writes the same access log lines', () => {
    const packagedStage = packagedProps('HttpApiStage');
    expect(samProps('HttpApi')).toMatchObject({
      DefaultRouteSettings: packagedStage['DefaultRouteSettings'],
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] },
        Format: (packagedStage['AccessLogSettings'] as { Format: string }).Format,
      },
    });
    const event = Object.values(
      samFunction()['Events'] as Record<string, { Properties: { ApiId?: unknown } }>,
    );
    expect(event.every((e) => JSON.stringify(e.Properties.ApiId) === '{"Ref":"HttpApi"}')).toBe(true);
  });

  it('configures CORS on the HTTP API as serverless.yml does: only when origins are listed', () => {
    const cors = samProps('HttpApi')['CorsConfiguration'];
    expect(cors).toEqual(packagedProps('HttpApi')['CorsConfiguration']);
    expect(sam.Conditions?.['HasCorsAllowedOrigins']).toEqual(packaged.Conditions?.['HasCorsAllowedOrigins']);
    const parameter = sam.Parameters['CorsAllowedOrigins'];
    expect(parameter?.AllowedPattern).toBe(packaged.Parameters?.['CorsAllowedOrigins']?.AllowedPattern);
    expect(parameter?.Default).toBe('');
    // The functions read the same parameter.
    expect(samFunction()['Environment']).toMatchObject({
      Variables: { CORS_ALLOWED_ORIGINS: { Ref: 'CorsAllowedOrigins' } },
    });
    // As deployed: nothing by default, the listed origins named when given.
    expect(resolveIn(sam, cors)).toBeUndefined();
    const origins = 'https://a.example,https://b.example';
    expect(resolveIn(sam, cors, { CorsAllowedOrigins: origins })).toMatchObject({
      AllowOrigins: ['https://a.example', 'https://b.example'],
      AllowCredentials: true,
    });
  });

  it('traces, logs JSON lines and calls a `live` alias like the packaged function', () => {
    expect(samFunction()['Tracing']).toBe((packagedFunction()['TracingConfig'] as { Mode: string }).Mode);
    expect(samFunction()['AutoPublishAlias']).toBe('live');
    const packagedLogging = packagedFunction()['LoggingConfig'] as Record<string, string>;
    expect(samFunction()['LoggingConfig']).toEqual({
      LogFormat: packagedLogging['LogFormat'],
      ApplicationLogLevel: { Ref: 'LogLevel' },
      SystemLogLevel: packagedLogging['SystemLogLevel'],
    });
    // Locally as in the dev stage.
    expect(sam.Parameters['LogLevel']?.Default).toBe(packagedLogging['ApplicationLogLevel']);
  });
});

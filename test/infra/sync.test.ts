// syncRestores in the packaged templates: absent on a stage without a console; with one, on
// its schedule, one at a time, its timeout below the schedule's period, no retries, granted
// exactly what a pass needs, in the stage's VPC when it names one, alarmed and drawn on the
// dashboard; cfn-lint clean either way; and the SAM template's function the same.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cfnLint } from '../support/cfn-lint.ts';
import {
  type Packaged,
  PROD_ALARMS,
  packageStage,
  type Resource,
  resourcesOfType,
  type Template,
} from '../support/package.ts';

const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-token-AbCdEf';
const CA_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-ca-GhIjKl';
const CONSOLE = { consoleUrl: 'https://qradar.example.com', consoleTokenSecretArn: TOKEN_ARN };
const VPC = {
  ...CONSOLE,
  consoleCaSecretArn: CA_ARN,
  syncSubnetIds: 'subnet-0a1b2c3d,subnet-4e5f6a7b',
  syncSecurityGroupIds: 'sg-0123456789abcdef0',
};

let plain: Packaged;
let withConsole: Packaged;
let withVpc: Packaged;

beforeAll(async () => {
  [plain, withConsole, withVpc] = await Promise.all([
    packageStage('dev'),
    packageStage('dev', CONSOLE),
    packageStage('prod', { ...PROD_ALARMS, ...VPC }),
  ]);
}, 300_000);

const resource = (template: Template, id: string): Resource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found;
};
const fn = (template: Template) => resource(template, 'SyncRestoresLambdaFunction').Properties;
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const alias = { 'Fn::Join': [':', [getAtt('SyncRestoresLambdaFunction'), 'live']] };

interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
}
const statements = (template: Template): Statement[] =>
  (
    resource(template, 'SyncRestoresRole').Properties['Policies'] as {
      PolicyDocument: { Statement: Statement[] };
    }[]
  ).flatMap((p) => p.PolicyDocument.Statement);

const LOGS = {
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: [getAtt('SyncRestoresLogGroup')],
};
/** The restores table's ARN as the template writes it out (infra/plugins/tables-last.cjs). */
const tableArn = (stage: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/qradar-restores-${stage}-restores`,
});
const table = (stage: string) => ({
  Effect: 'Allow',
  Action: ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  Resource: [tableArn(stage)],
});
const XRAY = {
  Effect: 'Allow',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: ['*'],
};

describe('syncRestores', () => {
  it('does not exist on a stage that names no console: no function, role, rule or alarm', () => {
    const ids = Object.keys(plain.template.Resources).filter((id) => /^Sync/.test(id));
    expect(ids).toEqual([]);
  });

  it('runs every minute on its `live` alias, one at a time, its timeout below the period, never retried', () => {
    const { template } = withConsole;
    const [[, rule] = []] = resourcesOfType(template, 'AWS::Events::Rule');
    expect(rule?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [{ Arn: alias }],
    });
    expect(fn(template)).toMatchObject({
      Handler: 'handlers/syncRestores.handler',
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 1,
      Timeout: 50,
      TracingConfig: { Mode: 'Active' },
    });
    expect(resource(template, 'SyncRestoresLambdaEvConf').Properties).toMatchObject({
      Qualifier: 'live',
      MaximumRetryAttempts: 0,
    });
    const permission = resourcesOfType(template, 'AWS::Lambda::Permission').find(([id]) =>
      id.startsWith('SyncRestores'),
    );
    expect(permission?.[1].Properties).toMatchObject({
      FunctionName: alias,
      Principal: 'events.amazonaws.com',
      SourceArn: getAtt('SyncRestoresEventsRuleSchedule1'),
    });
  });

  it("names the console and the secrets' ARNs in its environment, never a token", () => {
    const variables = (fn(withConsole.template)['Environment'] as { Variables: Record<string, string> })
      .Variables;
    expect(variables).toMatchObject({
      RESTORES_TABLE: 'qradar-restores-dev-restores',
      QRADAR_CONSOLE_URL: 'https://qradar.example.com',
      CONSOLE_TOKEN_SECRET_ARN: TOKEN_ARN,
      CONSOLE_CA_SECRET_ARN: '',
    });
    expect(
      Object.keys(variables)
        .filter((name) => /TOKEN|SECRET|PASSWORD/.test(name))
        .sort(),
    ).toEqual(['CONSOLE_CA_SECRET_ARN', 'CONSOLE_TOKEN_SECRET_ARN']);
    expect(fn(withConsole.template)).not.toHaveProperty('VpcConfig');
  });

  it('may read its secrets, scan, put and delete on the restores table, and nothing more', () => {
    expect(statements(withConsole.template)).toEqual([
      LOGS,
      table('dev'),
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [TOKEN_ARN] },
      XRAY,
    ]);
    expect(statements(withVpc.template)).toEqual([
      LOGS,
      table('prod'),
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [TOKEN_ARN, CA_ARN] },
      {
        Effect: 'Allow',
        Action: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        Resource: ['*'],
      },
      XRAY,
    ]);
    // The function runs as this role, and no other role may touch the secrets.
    expect(fn(withConsole.template)['Role']).toEqual(getAtt('SyncRestoresRole'));
    const others = resourcesOfType(withConsole.template, 'AWS::IAM::Role').filter(
      ([id]) => id !== 'SyncRestoresRole',
    );
    expect(JSON.stringify(others)).not.toMatch(/secretsmanager|dynamodb:(PutItem|DeleteItem)/);
    // The list alone scans too, reading only.
    expect(
      others.filter(([, role]) => JSON.stringify(role).includes('dynamodb:Scan')).map(([id]) => id),
    ).toEqual(['ListRestoresRole']);
  });

  it("runs in the stage's subnets and security groups when it names them", () => {
    expect(fn(withVpc.template)['VpcConfig']).toEqual({
      SubnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
      SecurityGroupIds: ['sg-0123456789abcdef0'],
    });
  });

  it('is alarmed: no successful pass for 10 minutes (missing data breaching), refused deletions, rejected records', async () => {
    const { template } = withConsole;
    const operations = await readFile(new URL('../../docs/OPERATIONS.md', import.meta.url), 'utf8');
    const dimension = [{ Name: 'Function', Value: { Ref: 'SyncRestoresLambdaFunction' } }];
    const props = (id: string) => resource(template, id).Properties;
    expect(props('SyncNoSuccessAlarm')).toMatchObject({
      Metrics: [
        {
          Id: 'passes',
          MetricStat: {
            Metric: { Namespace: 'QRadarRestores', MetricName: 'SyncPasses', Dimensions: dimension },
            Stat: 'Sum',
            Period: 60,
          },
        },
        { Id: 'failures', MetricStat: { Metric: { MetricName: 'SyncFailures', Dimensions: dimension } } },
        { Id: 'successes', Expression: 'passes - FILL(failures, 0)', ReturnData: true },
      ],
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    for (const [id, metric] of [
      ['SyncDeletionsRefusedAlarm', 'DeletionsRefused'],
      ['SyncRejectedRecordsAlarm', 'RestoresRejected'],
    ] as const) {
      expect(props(id)).toMatchObject({
        Namespace: 'QRadarRestores',
        MetricName: metric,
        Dimensions: dimension,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        TreatMissingData: 'notBreaching',
      });
    }
    for (const id of ['SyncNoSuccessAlarm', 'SyncDeletionsRefusedAlarm', 'SyncRejectedRecordsAlarm']) {
      expect(props(id)['AlarmActions']).toEqual([{ Ref: 'AlarmTopic' }]);
      const [, section] =
        /See docs\/OPERATIONS\.md, "([^"]+)"/.exec(String(props(id)['AlarmDescription'])) ?? [];
      expect(operations).toContain(`### ${section}`);
    }
    // The monitoring plugin watches it as every function.
    for (const id of ['SyncRestoresErrorsAlarm', 'SyncRestoresThrottlesAlarm', 'SyncRestoresDurationAlarm'])
      expect(resource(template, id).Type).toBe('AWS::CloudWatch::Alarm');
  });

  it('is drawn on the dashboard: its alarms and its metrics', () => {
    const body = JSON.stringify(resource(withConsole.template, 'Dashboard').Properties['DashboardBody']);
    for (const id of ['SyncNoSuccessAlarm', 'SyncDeletionsRefusedAlarm', 'SyncRejectedRecordsAlarm'])
      expect(body).toContain(id);
    for (const metric of [
      'SyncPasses',
      'SyncFailures',
      'RestoresWritten',
      'RestoresStale',
      'RestoresDeleted',
      'RestoresRejected',
      'DeletionsRefused',
      'SyncDurationMs',
    ])
      expect(body).toContain(`MetricName=\\\\\\"${metric}\\\\\\"`);
    expect(JSON.stringify(resource(plain.template, 'Dashboard').Properties['DashboardBody'])).not.toContain(
      'SyncPasses',
    );
  });

  it('is lint clean, with a console and with a VPC', async () => {
    for (const packaged of [withConsole, withVpc]) {
      const findings = (await cfnLint(packaged.templateFile)).filter((f) => f.Rule.Id !== 'W3005');
      expect(findings).toEqual([]);
    }
  }, 120_000);

  it.each([
    [
      { consoleUrl: 'https://qradar.example.com' },
      'the stage names a console (consoleUrl) but no consoleTokenSecretArn',
    ],
    [
      { ...CONSOLE, syncSubnetIds: 'subnet-0a1b2c3d' },
      'set both syncSubnetIds and syncSecurityGroupIds, or neither',
    ],
    [
      { ...CONSOLE, syncSchedule: 'every minute' },
      "Configuration error at 'functions.syncRestores.events.0.schedule': must match pattern",
    ],
  ])(
    'refuses to package %j',
    async (params, message) => {
      await expect(packageStage('dev', params)).rejects.toThrow(message);
    },
    120_000,
  );
});

describe('console-sync plugin', () => {
  const { periodSeconds } = createRequire(import.meta.url)('../../infra/plugins/console-sync.cjs') as {
    periodSeconds: (schedule: string) => number;
  };
  it("reads a schedule's period, so a timeout at or above it is refused", () => {
    expect(periodSeconds('rate(1 minute)')).toBe(60);
    expect(periodSeconds('rate(5 minutes)')).toBe(300);
    expect(periodSeconds('rate(2 hours)')).toBe(7200);
    expect(periodSeconds('cron(0/5 * * * ? *)')).toBe(60);
    expect(() => periodSeconds('rate(30 seconds)')).toThrow('not a schedule expression');
  });
});

describe('the SAM template', () => {
  // test/infra/sam.test.ts compares it, as deployed with a console, with the packaged one.
  it('has the same sync function, only with a console, one pass at a time, granted the same table and secret actions', async () => {
    const sam = load(await readFile(new URL('../../infra/template.yaml', import.meta.url), 'utf8')) as {
      Resources: Record<string, { Condition?: string; Properties: Record<string, unknown> }>;
    };
    for (const id of ['SyncRestoresFunction', 'SyncRestoresRole', 'SyncRestoresLogGroup'])
      expect(sam.Resources[id]?.Condition, id).toBe('HasConsole');
    const samFn = sam.Resources['SyncRestoresFunction'];
    if (samFn === undefined) throw new Error('no SyncRestoresFunction');
    const packagedFn = fn(withConsole.template);
    for (const key of ['Timeout', 'ReservedConcurrentExecutions'])
      expect(samFn.Properties[key]).toEqual(packagedFn[key]);
    expect(samFn.Properties['EventInvokeConfig']).toEqual({ MaximumRetryAttempts: 0 });
    expect(samFn.Properties['Role']).toEqual({ 'Fn::GetAtt': ['SyncRestoresRole', 'Arn'] });
    const samStatements = (
      (sam.Resources['SyncRestoresRole']?.Properties['Policies'] ?? []) as {
        PolicyDocument: { Statement: Statement[] };
      }[]
    ).flatMap((p) => p.PolicyDocument.Statement);
    const actions = samStatements
      .flatMap((s) => s.Action ?? [])
      .filter((a) => /^(dynamodb|secretsmanager):/.test(a));
    expect(actions).toEqual([...table('dev').Action, 'secretsmanager:GetSecretValue']);
    // Its own variables; the table's name and the local endpoint come from Globals, as every function's.
    const names = Object.keys((samFn.Properties['Environment'] as { Variables: object }).Variables).sort();
    expect(names).toEqual(['CONSOLE_CA_SECRET_ARN', 'CONSOLE_TOKEN_SECRET_ARN', 'QRADAR_CONSOLE_URL']);
  });
});

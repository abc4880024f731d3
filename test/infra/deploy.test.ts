// What a first real deploy of either stage meets, in the templates `npx sls package` builds:
// a failed first deploy that can be retried, defaults a new account can take, an alarm address
// that is never a placeholder, a custom domain, gradual rollout, a permissions boundary on every
// role, and the stage parameters that set what the logs and traces cost.

import { beforeAll, describe, expect, it } from 'vitest';
import { lintProblems } from '../support/cfn-lint.ts';
import { resolveIn } from '../support/intrinsics.ts';
import {
  type Packaged,
  PROD_ALARMS,
  packageStage,
  type Resource,
  resourcesOfType,
  type Template,
} from '../support/package.ts';

const DOMAIN = {
  domainName: 'restores.example.org',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
};
const ZONE = 'Z0123456789ABCDEFGHIJ';
const BOUNDARY = 'arn:aws:iam::123456789012:policy/qradar-restores-prod-boundary';
/** A console, so that the sync's function, role and alarms are added (infra/plugins/console-sync.cjs). */
const CONSOLE = {
  consoleUrl: 'https://qradar.example.com',
  consoleTokenSecretArn:
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-restores-prod-console-token-AbCdEf',
};

let dev: Packaged;
let prod: Packaged;
/** prod with a domain, its hosted zone, a permissions boundary and a console. */
let prodWithDomain: Packaged;
/** dev with a domain but no zone, no access log, pass-through tracing and three reservations. */
let devVariant: Packaged;

beforeAll(async () => {
  [dev, prod, prodWithDomain, devVariant] = await Promise.all([
    packageStage('dev'),
    packageStage('prod', PROD_ALARMS),
    packageStage('prod', {
      ...PROD_ALARMS,
      ...DOMAIN,
      hostedZoneId: ZONE,
      permissionsBoundaryArn: BOUNDARY,
      ...CONSOLE,
    }),
    packageStage('dev', {
      ...DOMAIN,
      apiAccessLog: 'off',
      tracing: 'PassThrough',
      getRestoreConcurrency: '20',
      listRestoresConcurrency: '4',
      restoreWatcherConcurrency: '3',
      publishStatusChangesConcurrency: '2',
    }),
  ]);
}, 600_000);

const FUNCTIONS = [
  'GetRestore',
  'ListRestores',
  'Api',
  'ApiDoc',
  'RestoreWatcher',
  'PublishStatusChanges',
] as const;

const resource = (template: Template, id: string): Resource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found;
};
const props = (template: Template, id: string) => resource(template, id).Properties;

/** Every resource id a node names through Ref, Fn::GetAtt or a ${...} in Fn::Sub. */
const referencesIn = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(referencesIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'Ref') return [String(value)];
    if (key === 'Fn::GetAtt') return [String((value as string[])[0])];
    if (key === 'Fn::Sub') {
      const text = String(Array.isArray(value) ? value[0] : value);
      return [...text.matchAll(/\$\{([A-Za-z0-9]+)/g)].map(([, id]) => String(id));
    }
    return referencesIn(value);
  });
};

describe('a failed first deploy', () => {
  it('fails before any table exists: the tables are created after every other resource', () => {
    for (const { template } of [dev, prod, prodWithDomain]) {
      const tables = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id]) => id);
      expect(tables).toHaveLength(3);
      // The stream's mapping needs the stream, which only the created table has.
      const streamMappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')
        .filter(([, m]) => JSON.stringify(m.Properties['EventSourceArn']).includes('StreamArn'))
        .map(([id]) => id);
      expect(streamMappings).toHaveLength(1);
      const others = Object.entries(template.Resources)
        .filter(
          ([id, r]) => !tables.includes(id) && !streamMappings.includes(id) && r.Condition === undefined,
        )
        .map(([id]) => id)
        .sort();
      for (const id of tables) {
        expect(resource(template, id).DependsOn).toEqual(others);
        expect(referencesIn(resource(template, id).Properties)).toEqual([]);
      }
      // Among them, what is likeliest to fail: functions (concurrency), the domain, CodeDeploy;
      // the stream's reader and its role included.
      expect(others).toEqual(
        expect.arrayContaining([
          'GetRestoreLambdaFunction',
          'GetRestoreDeploymentGroup',
          'HttpApiStage',
          'PublishStatusChangesLambdaFunction',
          'PublishStatusChangesRole',
          'PublishStatusChangesDeploymentGroup',
        ]),
      );
      // On a stage with a console, the sync's function, role and deployment group too.
      if (template === prodWithDomain.template)
        expect(others).toEqual(
          expect.arrayContaining([
            'SyncRestoresLambdaFunction',
            'SyncRestoresRole',
            'SyncRestoresDeploymentGroup',
          ]),
        );
      // Nothing else waits on a table (that would be a cycle): roles, alarms and the dashboard
      // name the tables by their fixed names instead, the publisher's role the table's streams.
      for (const [id, r] of Object.entries(template.Resources)) {
        if (tables.includes(id)) continue;
        expect(
          referencesIn([r.Properties, r.DependsOn ?? []]).filter((ref) => tables.includes(ref)),
          id,
        ).toEqual(streamMappings.includes(id) ? ['RestoresTable'] : []);
      }
      for (const id of streamMappings)
        expect(props(template, id)['EventSourceArn']).toEqual({
          'Fn::GetAtt': ['RestoresTable', 'StreamArn'],
        });
    }
    expect(resource(prodWithDomain.template, 'RestoresTable').DependsOn).toEqual(
      expect.arrayContaining(['ApiDomainName', 'ApiDomainMapping', 'ApiDomainRecord']),
    );
  });

  it('lets CloudFormation delete a table only when the operation that created it rolls back', () => {
    for (const { template } of [dev, prod]) {
      for (const [, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
        expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
        expect(table.UpdateReplacePolicy).toBe('Retain');
      }
    }
    // prod keeps DynamoDB's own deletion protection as well.
    for (const [, table] of resourcesOfType(prod.template, 'AWS::DynamoDB::Table'))
      expect(table.Properties['DeletionProtectionEnabled']).toBe(true);
  });
});

describe('concurrency', () => {
  it('reserves only what a stage parameter asks for, and keeps the pollers within it', () => {
    const reserved = (template: Template) =>
      Object.fromEntries(
        FUNCTIONS.map((f) => [f, props(template, `${f}LambdaFunction`)['ReservedConcurrentExecutions']]),
      );
    expect(reserved(devVariant.template)).toEqual({
      GetRestore: 20,
      ListRestores: 4,
      Api: undefined,
      ApiDoc: undefined,
      RestoreWatcher: 3,
      PublishStatusChanges: 2,
    });
  });

  it('keeps the sync at 1 whatever the stage, the one reservation that is not a parameter', () => {
    // Two passes must never overlap (contract section 14): a deliberate exception, on a stage
    // with a console only, and so no reservation a new account must have room for.
    expect(props(prodWithDomain.template, 'SyncRestoresLambdaFunction')['ReservedConcurrentExecutions']).toBe(
      1,
    );
    expect(prod.template.Resources).not.toHaveProperty('SyncRestoresLambdaFunction');
  });

  it('refuses a reservation of 0, and more pollers than the consumer may run', async () => {
    await Promise.all([
      expect(packageStage('dev', { apiConcurrency: '0' })).rejects.toThrow(
        /apiConcurrency must be a whole number of at least 1, or null \(unreserved\); 0 would stop api/,
      ),
      expect(packageStage('dev', { restoreWatcherConcurrency: '1' })).rejects.toThrow(
        /restoreWatcher polls with 2 pollers but may run only 1/,
      ),
    ]);
  }, 180_000);
});

describe('the alarm address', () => {
  it('is required in prod: packaging without one says what to set', async () => {
    await Promise.all([
      expect(packageStage('prod')).rejects.toThrow(
        /Stage prod needs an address for its alarms: pass --param alarmEmail=team@example\.org \(or set params\.prod\.alarmEmail in serverless\.yml\)/,
      ),
      expect(packageStage('prod', { alarmEmail: 'not-an-address' })).rejects.toThrow(
        /alarmEmail "not-an-address" is not an e-mail address/,
      ),
    ]);
  }, 180_000);

  it('is required by prod at deploy time too, should the stack parameter be emptied', () => {
    const rule = prod.template.Rules?.['AlarmEmailGiven'];
    const [assertion] = rule?.Assertions ?? [];
    expect(assertion?.AssertDescription).toMatch(/--param alarmEmail=/);
    expect(resolveIn(prod.template, assertion?.Assert, { AlarmEmail: '' })).toBe(false);
    expect(resolveIn(prod.template, assertion?.Assert)).toBe(true);
    // dev may have none.
    expect(dev.template.Rules?.['AlarmEmailGiven']).toBeUndefined();
  });

  it('receives alarms on an encrypted topic that CloudWatch may publish to', () => {
    const { template } = prod;
    const topic = props(template, 'AlarmTopic');
    // The stack's own key: the AWS managed alias/aws/sns key's policy cannot be edited to
    // let CloudWatch use it, so alarms would fail to publish to a topic encrypted with it.
    expect(topic['KmsMasterKeyId']).toEqual({ Ref: 'AlarmTopicKey' });
    const key = props(template, 'AlarmTopicKey');
    expect(key['EnableKeyRotation']).toBe(true);
    const keyStatements = (key['KeyPolicy'] as { Statement: Record<string, unknown>[] }).Statement;
    expect(keyStatements).toContainEqual({
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
    expect(props(template, 'AlarmTopicPolicy')).toEqual({
      Topics: [{ Ref: 'AlarmTopic' }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: 'AlarmTopic' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });
});

describe('the custom domain', () => {
  const DOMAIN_RESOURCES = ['ApiDomainName', 'ApiDomainMapping', 'ApiDomainRecord'];

  it('is absent without a domainName: the execute-api address stays the way in', () => {
    for (const { template } of [dev, prod]) {
      for (const id of DOMAIN_RESOURCES) expect(template.Resources).not.toHaveProperty(id);
      expect(props(template, 'HttpApi')['DisableExecuteApiEndpoint']).toBe(false);
      expect(template.Outputs['ServiceUrl']?.Value).toEqual({ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] });
    }
  });

  it('maps the API to the domain, writes its alias record, and switches the execute-api address off', () => {
    const { template } = prodWithDomain;
    expect(props(template, 'ApiDomainName')).toEqual({
      DomainName: DOMAIN.domainName,
      DomainNameConfigurations: [
        { CertificateArn: DOMAIN.certificateArn, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' },
      ],
    });
    expect(props(template, 'ApiDomainMapping')).toEqual({
      DomainName: { Ref: 'ApiDomainName' },
      ApiId: { Ref: 'HttpApi' },
      Stage: { Ref: 'HttpApiStage' },
    });
    expect(props(template, 'ApiDomainRecord')).toEqual({
      HostedZoneId: ZONE,
      Name: DOMAIN.domainName,
      Type: 'A',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': ['ApiDomainName', 'RegionalHostedZoneId'] },
        EvaluateTargetHealth: false,
      },
    });
    expect(props(template, 'HttpApi')['DisableExecuteApiEndpoint']).toBe(true);
    expect(template.Outputs['ServiceUrl']?.Value).toBe(`https://${DOMAIN.domainName}`);
  });

  it('leaves the record to the operator when no hosted zone is given, and says where it points', () => {
    const { template } = devVariant;
    expect(template.Resources).toHaveProperty('ApiDomainName');
    expect(template.Resources).toHaveProperty('ApiDomainMapping');
    expect(template.Resources).not.toHaveProperty('ApiDomainRecord');
    expect(template.Outputs['ApiDomainTarget']?.Value).toEqual({
      'Fn::GetAtt': ['ApiDomainName', 'RegionalDomainName'],
    });
  });

  it('refuses half a domain, a certificate of another region, and a zone without a domain', async () => {
    const failures = await Promise.all(
      [
        { domainName: DOMAIN.domainName },
        { ...DOMAIN, certificateArn: DOMAIN.certificateArn.replace('us-east-1', 'eu-west-1') },
        { hostedZoneId: ZONE },
        { ...DOMAIN, domainName: 'https://restores.example.org/' },
      ].map((params) =>
        packageStage('dev', params).then(
          () => 'packaged',
          (error: Error) => error.message,
        ),
      ),
    );
    expect(failures[0]).toMatch(/domainName and certificateArn go together/);
    expect(failures[1]).toMatch(
      /certificateArn is in eu-west-1; a regional API domain needs a certificate of its own region, us-east-1/,
    );
    expect(failures[2]).toMatch(/hostedZoneId is set without a domainName/);
    expect(failures[3]).toMatch(/domainName "https:\/\/restores\.example\.org\/" is not a host name/);
  }, 180_000);
});

describe('gradual deploys', () => {
  it("hands each `live` alias's move to CodeDeploy, as the stage's deploymentPreference says", () => {
    for (const [{ template }, config] of [
      [dev, 'CodeDeployDefault.LambdaAllAtOnce'],
      [prod, 'CodeDeployDefault.LambdaCanary10Percent5Minutes'],
    ] as const) {
      expect(props(template, 'CodeDeployApplication')).toEqual({
        ApplicationName: expect.stringMatching(/^qradar-restores-(dev|prod)$/),
        ComputePlatform: 'Lambda',
      });
      for (const fn of FUNCTIONS) {
        expect(resource(template, `${fn}LiveAlias`).UpdatePolicy).toEqual({
          CodeDeployLambdaAliasUpdate: {
            ApplicationName: { Ref: 'CodeDeployApplication' },
            DeploymentGroupName: { Ref: `${fn}DeploymentGroup` },
          },
        });
        expect(props(template, `${fn}DeploymentGroup`)).toMatchObject({
          ApplicationName: { Ref: 'CodeDeployApplication' },
          ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] },
          DeploymentConfigName: config,
          DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
          AutoRollbackConfiguration: {
            Enabled: true,
            Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
          },
          AlarmConfiguration: { Enabled: true },
        });
      }
    }
  });

  it("rolls a function back on its own alarms and the service's, never on throttles or missing data", () => {
    const alarmsOf = (fn: string) =>
      (
        props(prod.template, `${fn}DeploymentGroup`)['AlarmConfiguration'] as {
          Alarms: { Name: { Ref: string } }[];
        }
      ).Alarms.map((a) => a.Name.Ref);
    expect(alarmsOf('GetRestore').sort()).toEqual(
      [
        'GetRestoreErrorsAlarm',
        'GetRestoreDurationAlarm',
        'InternalErrorAlarm',
        'StoreUnavailableAlarm',
        'AuthFailureAlarm',
        'ApiServerErrorRateAlarm',
        'ApiLatencyAlarm',
      ].sort(),
    );
    expect(alarmsOf('ListRestores').sort()).toEqual(
      [
        'ListRestoresErrorsAlarm',
        'ListRestoresDurationAlarm',
        'InternalErrorAlarm',
        'StoreUnavailableAlarm',
        'AuthFailureAlarm',
        'ApiServerErrorRateAlarm',
        'ApiLatencyAlarm',
      ].sort(),
    );
    expect(alarmsOf('ApiDoc').sort()).toEqual(
      ['ApiDocErrorsAlarm', 'ApiDocDurationAlarm', 'ApiServerErrorRateAlarm', 'ApiLatencyAlarm'].sort(),
    );
    expect(alarmsOf('RestoreWatcher').sort()).toEqual([
      'RestoreWatcherDurationAlarm',
      'RestoreWatcherErrorsAlarm',
    ]);
    // The publisher's own, and those on what it writes and how far behind the stream it reads.
    expect(alarmsOf('PublishStatusChanges').sort()).toEqual([
      'PublishStatusChangesDurationAlarm',
      'PublishStatusChangesErrorsAlarm',
      'StatusChangePublishFailureAlarm',
      'StatusChangesIteratorAgeAlarm',
    ]);
    // The sync's own errors and duration; not its "no successful pass" (missing data breaches),
    // nor a console's rejected records or refused deletions, which no version of the code ends.
    const syncGroup = props(prodWithDomain.template, 'SyncRestoresDeploymentGroup');
    expect(
      (syncGroup['AlarmConfiguration'] as { Alarms: { Name: { Ref: string } }[] }).Alarms.map(
        (a) => a.Name.Ref,
      ),
    ).toEqual(['SyncRestoresErrorsAlarm', 'SyncRestoresDurationAlarm']);
    expect(resource(prodWithDomain.template, 'SyncRestoresLiveAlias').UpdatePolicy).toEqual({
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: { Ref: 'CodeDeployApplication' },
        DeploymentGroupName: { Ref: 'SyncRestoresDeploymentGroup' },
      },
    });
    for (const fn of FUNCTIONS) {
      for (const id of alarmsOf(fn)) {
        expect(resource(prod.template, id).Type).toBe('AWS::CloudWatch::Alarm');
        expect(resource(prod.template, id).Properties['TreatMissingData']).toBe('notBreaching');
        expect(id).not.toMatch(/Throttle/);
      }
    }
  });

  it('lets CodeDeploy move aliases with its own managed role for Lambda, and nothing else', () => {
    expect(props(prod.template, 'CodeDeployServiceRole')).toMatchObject({
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      ManagedPolicyArns: [
        { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda` },
      ],
    });
    expect(props(prod.template, 'CodeDeployServiceRole')).not.toHaveProperty('Policies');
  });

  it('refuses a deployment preference CodeDeploy does not have', async () => {
    await expect(packageStage('dev', { deploymentPreference: 'Canary50Percent1Minute' })).rejects.toThrow(
      /deploymentPreference "Canary50Percent1Minute" is not one of AllAtOnce, Canary10Percent5Minutes/,
    );
  }, 180_000);
});

describe('the permissions boundary', () => {
  it("puts the stage's boundary on every role the stack creates, and none when it is empty", () => {
    /** A role's boundary as deployed with the stack parameter's default. */
    const deployed = (template: Template, role: Resource) =>
      (resolveIn(template, { Boundary: role.Properties['PermissionsBoundary'] }) as { Boundary?: string })
        .Boundary;
    for (const [{ template }, expected] of [
      [dev, undefined],
      [prodWithDomain, BOUNDARY],
    ] as const) {
      if (expected !== undefined)
        expect(resourcesOfType(template, 'AWS::IAM::Role').map(([id]) => id)).toContain('SyncRestoresRole');
      const roles = resourcesOfType(template, 'AWS::IAM::Role');
      expect(roles.map(([id]) => id)).toEqual(
        expect.arrayContaining(['GetRestoreRole', 'ListRestoresRole', 'CodeDeployServiceRole']),
      );
      for (const [, role] of roles) {
        expect(role.Properties['PermissionsBoundary']).toEqual({
          'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }],
        });
        expect(deployed(template, role)).toBe(expected);
      }
    }
  });
});

describe('logs and traces', () => {
  it('keeps every application log level at INFO or lower, where the metric lines are written', async () => {
    for (const { template } of [dev, prod]) {
      for (const fn of FUNCTIONS) {
        const logging = props(template, `${fn}LambdaFunction`)['LoggingConfig'] as Record<string, string>;
        expect(['TRACE', 'DEBUG', 'INFO']).toContain(logging['ApplicationLogLevel']);
      }
    }
    await expect(packageStage('dev', { logLevel: 'WARN' })).rejects.toThrow(
      /logLevel WARN would drop the service's metric lines, which are INFO/,
    );
  }, 180_000);

  it('keeps every log group in the Standard class, the one that extracts metrics from log lines', () => {
    for (const { template } of [dev, prod, prodWithDomain]) {
      for (const [, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
        expect(group.Properties['LogGroupClass'] ?? 'STANDARD').toBe('STANDARD');
      }
    }
  });

  it('writes no API access log, and so no throttle count from it, when the stage turns it off', () => {
    const { template } = devVariant;
    expect(template.Resources).not.toHaveProperty('HttpApiLogGroup');
    expect(props(template, 'HttpApiStage')).not.toHaveProperty('AccessLogSettings');
    expect(resourcesOfType(template, 'AWS::Logs::MetricFilter')).toEqual([]);
    expect(template.Resources).not.toHaveProperty('ThrottledRequestsAlarm');
  });

  it("traces as the stage's tracing parameter says: Active by default, PassThrough to stop paying for it", () => {
    for (const fn of FUNCTIONS) {
      expect(props(prod.template, `${fn}LambdaFunction`)['TracingConfig']).toEqual({ Mode: 'Active' });
      expect(props(devVariant.template, `${fn}LambdaFunction`)['TracingConfig']).toEqual({
        Mode: 'PassThrough',
      });
    }
  });
});

describe('the /api_doc routes', () => {
  it('have a throttle of their own, below the stage default, set once the routes exist', () => {
    for (const { template } of [dev, prod]) {
      const stage = resource(template, 'HttpApiStage');
      const routes = Object.fromEntries(
        resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(([id, r]) => [
          String(r.Properties['RouteKey']),
          id,
        ]),
      );
      const settings = stage.Properties['RouteSettings'] as Record<string, Record<string, number>>;
      expect(Object.keys(settings).sort()).toEqual(['GET /api_doc', 'GET /api_doc/{asset}']);
      const defaults = stage.Properties['DefaultRouteSettings'] as Record<string, number>;
      for (const [routeKey, setting] of Object.entries(settings)) {
        expect(routes[routeKey], routeKey).toBeDefined();
        expect([stage.DependsOn].flat()).toContain(routes[routeKey]);
        expect(setting).toEqual({
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
          DetailedMetricsEnabled: true,
        });
        expect(setting['ThrottlingRateLimit']).toBeLessThan(Number(defaults['ThrottlingRateLimit']));
      }
    }
  });
});

describe('cfn-lint', () => {
  it('finds nothing unexplained with a domain, a zone, a boundary, and with the access log off', async () => {
    for (const findings of await Promise.all([prodWithDomain, devVariant].map(lintProblems)))
      expect(findings).toEqual([]);
  }, 180_000);
});

// infra/deploy-role.yaml: the role GitHub Actions deploys with, and the permissions boundary
// every role of the stack carries. The boundary must allow all that the packaged stack's roles
// are granted (or the service breaks on its first call), and the deploy role must not be able
// to create a role without it.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cfnLint } from '../support/cfn-lint.ts';
import { resolveIn } from '../support/intrinsics.ts';
import { PROD_ALARMS, packageStage, resourcesOfType, type Template } from '../support/package.ts';

const FILE = fileURLToPath(new URL('../../infra/deploy-role.yaml', import.meta.url));
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ZONE = 'Z0123456789ABCDEFGHIJ';
/** A console reached through a VPC, its secrets named after the stack (docs/OPERATIONS.md). */
const CONSOLE = {
  consoleUrl: 'https://qradar.example.com',
  consoleTokenSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:qradar-restores-prod-console-token-AbCdEf`,
  consoleCaSecretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:qradar-restores-prod-console-ca-GhIjKl`,
  syncSubnetIds: 'subnet-0a1b2c3d',
  syncSecurityGroupIds: 'sg-0123456789abcdef0',
};

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

let roleTemplate: Template;
let stack: Template;

beforeAll(async () => {
  roleTemplate = load(await readFile(FILE, 'utf8')) as Template;
  stack = (
    await packageStage('prod', {
      ...PROD_ALARMS,
      domainName: 'restores.example.org',
      certificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/0a1b2c3d-1111-2222-3333-444455556666`,
      hostedZoneId: ZONE,
      ...CONSOLE,
    })
  ).template;
}, 600_000);

/** A template string with the pseudo parameters and this file's defaults filled in. */
const filled = (text: string, values: Record<string, string> = {}): string =>
  text.replace(/\$\{([\w:]+)\}/g, (_, name: string) => {
    const known: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': REGION,
      'AWS::AccountId': ACCOUNT,
      Service: 'qradar-restores',
      Stage: 'prod',
      Repository: 'example-org/qradar-restores',
      GitHubEnvironment: 'prod',
      HostedZoneId: ZONE,
      ...values,
    };
    const value = known[name];
    if (value === undefined) throw new Error(`nothing to fill in for \${${name}}`);
    return value;
  });

/** An IAM pattern (with * and ?) as a regular expression. */
const pattern = (glob: string, flags = '') =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    flags,
  );

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const text = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const sub = (value as { 'Fn::Sub'?: string })['Fn::Sub'];
  if (sub !== undefined) return filled(sub);
  throw new Error(`not a string: ${JSON.stringify(value)}`);
};

/** A resource's properties in infra/deploy-role.yaml. */
const props = (id: string): Record<string, unknown> => {
  const found = roleTemplate.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found.Properties;
};

const statementsOf = (policy: string): Statement[] => {
  const resources = roleTemplate.Resources;
  if (policy === 'boundary') {
    return (props('PermissionsBoundary')['PolicyDocument'] as { Statement: Statement[] }).Statement;
  }
  // The deploy role's policy as deployed with a hosted zone (its Route 53 statements are conditional).
  const role = resolveIn(roleTemplate, resources['DeployRole']?.Properties, {
    Repository: 'example-org/qradar-restores',
    HostedZoneId: ZONE,
  }) as { Policies: { PolicyDocument: { Statement: Statement[] } }[] };
  return role.Policies.flatMap((p) => p.PolicyDocument.Statement);
};

const allows = (statements: Statement[], action: string, arn: string) =>
  statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Condition === undefined &&
      list(s.Action).some((a) => pattern(String(a), 'i').test(action)) &&
      list(s.Resource).some((r) => pattern(text(r)).test(arn)),
  );

/** The ARN a resource of the packaged stack will have, as far as its template decides it. */
const arnOf = (resource: unknown): string => {
  // '*', or an ARN the stage gives (the console's secrets).
  if (typeof resource === 'string') return resource;
  const r = resource as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Sub'?: string;
    'Fn::Join'?: [string, (string | { Ref: string })[]];
  };
  if (r['Fn::Sub']) return filled(r['Fn::Sub']);
  // Text and pseudo parameters (the stage's event bus, as serverless writes it).
  if (r['Fn::Join']) {
    const [separator, parts] = r['Fn::Join'];
    return parts.map((part) => (typeof part === 'string' ? part : filled(`\${${part.Ref}}`))).join(separator);
  }
  const id = r.Ref ?? r['Fn::GetAtt']?.[0] ?? '';
  const target = stack.Resources[id];
  switch (target?.Type) {
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${target.Properties['LogGroupName']}:*`;
    case 'AWS::Lambda::Alias': {
      const fnId = (target.Properties['FunctionName'] as { Ref: string }).Ref;
      const name = stack.Resources[fnId]?.Properties['FunctionName'];
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}:${target.Properties['Name']}`;
    }
    case 'AWS::SQS::Queue':
      // CloudFormation names an unnamed queue STACK-LOGICALID-SUFFIX.
      return `arn:aws:sqs:${REGION}:${ACCOUNT}:qradar-restores-prod-${id}-1A2B3C4D5E6F`;
    default:
      throw new Error(`no ARN for ${JSON.stringify(resource)}`);
  }
};

describe('infra/deploy-role.yaml', () => {
  it('has nothing for cfn-lint to find', async () => {
    expect(await cfnLint(FILE)).toEqual([]);
  }, 60_000);

  it('may be assumed only by the repository, from the GitHub environment, through OIDC', () => {
    const trust = roleTemplate.Resources['DeployRole']?.Properties['AssumeRolePolicyDocument'] as {
      Statement: Statement[];
    };
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity' });
    expect(statement?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': {
          'Fn::Sub': `repo:\${Repository}:environment:\${GitHubEnvironment}`,
        },
      },
    });
    expect(roleTemplate.Resources['GitHubOidcProvider']?.Properties).toEqual({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('creates and changes roles only with the boundary on, passes them only to Lambda and CodeDeploy, and cannot lift it', () => {
    const statements = statementsOf('deploy');
    const roleWrites = [
      'iam:CreateRole',
      'iam:PutRolePolicy',
      'iam:AttachRolePolicy',
      'iam:PutRolePermissionsBoundary',
    ];
    for (const action of roleWrites) {
      const granting = statements.filter((s) => s.Effect === 'Allow' && list(s.Action).includes(action));
      expect(granting, action).toHaveLength(1);
      expect(granting[0]?.Condition).toEqual({
        StringEquals: { 'iam:PermissionsBoundary': { Ref: 'PermissionsBoundary' } },
      });
    }
    const passing = statements.filter((s) => list(s.Action).includes('iam:PassRole'));
    expect(passing.map((s) => s.Condition)).toEqual([
      { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'codedeploy.amazonaws.com'] } },
    ]);
    // No other statement grants an IAM action on any role but the stack's.
    for (const s of statements.filter(
      (s) => s.Effect === 'Allow' && list(s.Action).some((a) => String(a).startsWith('iam:')),
    ))
      expect(list(s.Resource).map(text)).toEqual([`arn:aws:iam::${ACCOUNT}:role/qradar-restores-prod-*`]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary'],
        Resource: '*',
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: expect.arrayContaining(['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion']),
        Resource: [{ Ref: 'PermissionsBoundary' }],
      }),
    );
    // The deploy role is not among the roles it may manage.
    const own = text(props('DeployRole')['RoleName']);
    expect(own).not.toMatch(pattern('qradar-restores-prod-*'));
  });

  it("lets the stack's roles do, within the boundary, everything the packaged template grants them", () => {
    const boundary = statementsOf('boundary');
    const roles = resourcesOfType(stack, 'AWS::IAM::Role');
    let checked = 0;
    for (const [id, role] of roles) {
      const statements = (
        (role.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: Statement[] } }[]
      ).flatMap((p) => p.PolicyDocument.Statement);
      for (const s of statements) {
        for (const action of list(s.Action)) {
          for (const resource of list(s.Resource)) {
            expect(
              allows(boundary, String(action), arnOf(resource)),
              `${id}: ${action} on ${arnOf(resource)}`,
            ).toBe(true);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(15);
    // The sync's among them: its secrets, its table actions, its network interfaces.
    expect(roles.map(([id]) => id)).toContain('SyncRestoresRole');
    // CodeDeploy's role (AWSCodeDeployRoleForLambda) moves each alias and reads the alarms.
    for (const [, fn] of resourcesOfType(stack, 'AWS::Lambda::Function')) {
      const alias = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn.Properties['FunctionName']}:live`;
      for (const action of ['lambda:GetAlias', 'lambda:UpdateAlias'])
        expect(allows(boundary, action, alias)).toBe(true);
    }
    expect(allows(boundary, 'cloudwatch:DescribeAlarms', '*')).toBe(true);
    // And nothing of another stage.
    expect(
      allows(
        boundary,
        'dynamodb:GetItem',
        `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/qradar-restores-dev-restores`,
      ),
    ).toBe(false);
  });

  it('reaches every service the packaged stack is made of', () => {
    const SERVICE_OF: Record<string, string> = {
      ApiGatewayV2: 'apigateway',
      CloudWatch: 'cloudwatch',
      CodeDeploy: 'codedeploy',
      DynamoDB: 'dynamodb',
      Events: 'events',
      IAM: 'iam',
      KMS: 'kms',
      Lambda: 'lambda',
      Logs: 'logs',
      Route53: 'route53',
      S3: 's3',
      SNS: 'sns',
      SQS: 'sqs',
    };
    const granted = new Set(
      statementsOf('deploy')
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => list(s.Action).map((a) => String(a).split(':')[0])),
    );
    // The sync in the stage's subnets: Lambda asks the deployer to see them.
    expect(JSON.stringify(stack)).toContain('VpcConfig');
    const deploy = statementsOf('deploy');
    for (const action of ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'])
      expect(allows(deploy, action, '*'), action).toBe(true);
    // Its retries are an event invoke config of its own function.
    const fn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:qradar-restores-prod-syncRestores`;
    expect(Object.values(stack.Resources).map((r) => r.Type)).toContain('AWS::Lambda::EventInvokeConfig');
    for (const action of [
      'lambda:PutFunctionEventInvokeConfig',
      'lambda:UpdateFunctionEventInvokeConfig',
      'lambda:DeleteFunctionEventInvokeConfig',
      'lambda:GetFunctionEventInvokeConfig',
    ])
      expect(allows(deploy, action, fn), action).toBe(true);
    for (const type of new Set(Object.values(stack.Resources).map((r) => r.Type))) {
      const service = SERVICE_OF[type.split('::')[1] ?? ''];
      expect(service, `${type}: which service?`).toBeDefined();
      expect(granted, type).toContain(service);
    }
    expect(granted).toContain('cloudformation');
  });

  it("manages the stack's EventBridge rules, on the default bus or another, and no rule of anyone else", () => {
    const deploy = statementsOf('deploy');
    const ids = resourcesOfType(stack, 'AWS::Events::Rule').map(([id]) => id);
    // The status changes' rule, and the sync's schedule (no name of its own either).
    expect([...ids].sort()).toEqual(['RestoreFinishedRule', 'SyncRestoresEventsRuleSchedule1']);
    for (const id of ids) expect(stack.Resources[id]?.Properties['Name']).toBeUndefined();
    for (const id of ids) {
      // CloudFormation names an unnamed rule STACK-LOGICALID-SUFFIX; on a bus of its own, rule/BUS/NAME.
      const name = `qradar-restores-prod-${id}-1A2B3C4D5E6F`;
      const rules = `arn:aws:events:${REGION}:${ACCOUNT}:rule`;
      for (const action of [
        'events:PutRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'events:DescribeRule',
        'events:DeleteRule',
      ]) {
        expect(allows(deploy, action, `${rules}/${name}`), action).toBe(true);
        expect(allows(deploy, action, `${rules}/restores-bus/${name}`), action).toBe(true);
        expect(allows(deploy, action, `${rules}/qradar-restores-dev-${id}-1A2B3C4D5E6F`), action).toBe(false);
        expect(allows(deploy, action, `${rules}/another-service-rule`), action).toBe(false);
      }
    }
  });
});

// The template `npm run package` builds: route, function, tables and least privilege.

import { beforeAll, describe, expect, it } from 'vitest';
import { packageService, resourcesOfType, type Template } from '../support/package.ts';

let template: Template;

beforeAll(async () => {
  template = await packageService();
}, 120_000);

interface Statement {
  Effect: string;
  Action: string[];
  Resource: unknown[];
}

/** The statements of the role a function runs as. */
const statementsOf = (functionId: string): Statement[] => {
  const role = template.Resources[functionId]?.Properties['Role'] as { 'Fn::GetAtt': [string, string] };
  const [roleId] = role['Fn::GetAtt'];
  const policies = template.Resources[roleId]?.Properties['Policies'] as {
    PolicyDocument: { Statement: Statement[] };
  }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
};

const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('the packaged CloudFormation template', () => {
  it('routes GET /api/backup_and_restore/restores/{id} and the API page on an HTTP API', () => {
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties['RouteKey'],
    );
    expect(routes.sort()).toEqual([
      'GET /api/backup_and_restore/restores/{id}',
      'GET /api_doc',
      'GET /api_doc/{asset}',
    ]);
  });

  it('runs the function on nodejs24.x, arm64, with the table names in its environment', () => {
    const [[, fn] = []] = resourcesOfType(template, 'AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'handlers/getRestore.handler',
      Timeout: 10,
      Environment: {
        Variables: {
          RESTORES_TABLE: 'qradar-restores-dev-restores',
          AUTHORIZED_SERVICES_TABLE: 'qradar-restores-dev-authorized-services',
        },
      },
    });
  });

  it('defines the restores table keyed by a Number id and the services table by a String token_hash', () => {
    expect(template.Resources['RestoresTable']?.Properties).toMatchObject({
      TableName: 'qradar-restores-dev-restores',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
    });
    expect(template.Resources['AuthorizedServicesTable']?.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'token_hash', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'token_hash', AttributeType: 'S' }],
    });
  });

  it('gives each function a role of its own, allowing only what it does', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
    expect(functions.sort()).toEqual([
      'ApiDocLambdaFunction',
      'GetRestoreLambdaFunction',
      'RestoreWatcherLambdaFunction',
    ]);
    expect(
      resourcesOfType(template, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['ApiDocRole', 'GetRestoreRole', 'RestoreWatcherRole']);
    expect(statementsOf('ApiDocLambdaFunction')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [getAtt('ApiDocLogGroup')],
      },
    ]);
    expect(statementsOf('GetRestoreLambdaFunction')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [getAtt('GetRestoreLogGroup')],
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: [getAtt('RestoresTable'), getAtt('AuthorizedServicesTable')],
      },
    ]);
    expect(statementsOf('RestoreWatcherLambdaFunction')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [getAtt('RestoreWatcherLogGroup')],
      },
      { Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: [getAtt('GetRestoreLambdaFunction')] },
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        Resource: [getAtt('RestoreWatchQueue')],
      },
    ]);
  });

  it('grants no wildcard action or resource anywhere', () => {
    const text = JSON.stringify(resourcesOfType(template, 'AWS::IAM::Role'));
    expect(text).not.toMatch(/"[a-z0-9-]+:\*"|"\*"/);
  });

  it('throttles the API stage and keeps access logs', () => {
    expect(template.Resources['HttpApiStage']?.Properties).toMatchObject({
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: expect.anything() },
    });
  });

  it('keeps the tables encrypted, recoverable and retained when the stack goes', () => {
    for (const id of ['RestoresTable', 'AuthorizedServicesTable']) {
      const table = template.Resources[id] as unknown as { DeletionPolicy: string; Properties: object };
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });
});

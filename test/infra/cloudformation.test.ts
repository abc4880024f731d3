// The template `npm run package` builds: route, function, tables and least privilege.

import { beforeAll, describe, expect, it } from 'vitest';
import { packageService, resourcesOfType, type Template } from '../support/package.ts';

let template: Template;

beforeAll(async () => {
  template = await packageService();
}, 120_000);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const statementsOf = (template: Template): Statement[] =>
  resourcesOfType(template, 'AWS::IAM::Role').flatMap(([, role]) =>
    ((role.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    ),
  );

describe('the packaged CloudFormation template', () => {
  it('routes GET /api/backup_and_restore/restores/{id} on an HTTP API to the function', () => {
    const routes = resourcesOfType(template, 'AWS::ApiGatewayV2::Route').map(
      ([, r]) => r.Properties['RouteKey'],
    );
    expect(routes).toEqual(['GET /api/backup_and_restore/restores/{id}']);
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

  it('allows dynamodb:GetItem on those two tables and nothing else on data', () => {
    const statements = statementsOf(template);
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.every((action) => !action.includes('*'))).toBe(true);
    const data = statements.filter((s) => [s.Action].flat().some((a) => !a.startsWith('logs:')));
    expect(data).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: [
          { 'Fn::GetAtt': ['RestoresTable', 'Arn'] },
          { 'Fn::GetAtt': ['AuthorizedServicesTable', 'Arn'] },
        ],
      },
    ]);
  });
});

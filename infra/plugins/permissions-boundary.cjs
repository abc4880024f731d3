// The stage's permissions boundary (stack parameter PermissionsBoundaryArn, infra/deploy.json)
// on every IAM role in the template: the functions' own roles (infra/roles.json), CodeDeploy's,
// and any a plugin or a later change adds. provider.iam.role.permissionsBoundary would reach
// only the role serverless makes for functions without one, which this service has none of.
// A deploy role that may create roles only with this boundary (infra/deploy-role.yaml) then
// cannot hand out more than the boundary allows.

'use strict';

const BOUNDARY = {
  'Fn::If': ['HasPermissionsBoundary', { Ref: 'PermissionsBoundaryArn' }, { Ref: 'AWS::NoValue' }],
};

class PermissionsBoundary {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addBoundary(),
    };
  }

  addBoundary() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    if (!template.Parameters?.PermissionsBoundaryArn || !template.Conditions?.HasPermissionsBoundary) {
      throw new Error('permissions-boundary: infra/deploy.json (PermissionsBoundaryArn) is missing');
    }
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      if (resource.Properties.PermissionsBoundary !== undefined) {
        throw new Error(`permissions-boundary: ${id} sets a boundary of its own`);
      }
      resource.Properties.PermissionsBoundary = structuredClone(BOUNDARY);
    }
  }
}

module.exports = PermissionsBoundary;

// A `live` alias on every function, pointing at the version this deployment publishes, and
// everything that calls a function (HTTP API integrations, their invoke permissions, the SQS
// event source mapping) calling the alias instead. Rolling back is then one
// `aws lambda update-alias --function-version N` (docs/OPERATIONS.md).
//
// Serverless v3 creates an alias only for provisioned concurrency or SnapStart. Its event
// compilers already target `functionObject.targetAlias` when a function has one, so this
// plugin sets that before they run and adds the alias resources they then point at.

'use strict';

const ALIAS = 'live';

class LiveAlias {
  constructor(serverless) {
    this.serverless = serverless;
    this.naming = serverless.getProvider('aws').naming;
    this.hooks = {
      'before:package:compileFunctions': () => this.targetAliases(),
      'after:package:compileFunctions': () => this.addAliases(),
    };
  }

  functions() {
    const { service } = this.serverless;
    return service.getAllFunctions().map((name) => [name, service.getFunction(name)]);
  }

  targetAliases() {
    if (this.serverless.service.provider.versionFunctions !== true) {
      throw new Error('live-alias: set provider.versionFunctions to true; the alias points at a version');
    }
    for (const [name, fn] of this.functions()) {
      if (fn.provisionedConcurrency || fn.snapStart || fn.durableConfig || fn.versionFunction === false) {
        throw new Error(`live-alias: ${name} would get a second alias or no version; not supported`);
      }
      fn.targetAlias = { name: ALIAS, logicalId: `${this.naming.getNormalizedFunctionName(name)}LiveAlias` };
    }
  }

  addAliases() {
    const resources = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const [name, fn] of this.functions()) {
      if (!fn.versionLogicalId) throw new Error(`live-alias: no version was compiled for ${name}`);
      resources[fn.targetAlias.logicalId] = {
        Type: 'AWS::Lambda::Alias',
        Properties: {
          FunctionName: { Ref: this.naming.getLambdaLogicalId(name) },
          FunctionVersion: { 'Fn::GetAtt': [fn.versionLogicalId, 'Version'] },
          Name: ALIAS,
        },
      };
    }
  }
}

module.exports = LiveAlias;

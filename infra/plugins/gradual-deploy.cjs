// Gradual deploys: CloudFormation hands each `live` alias's move to CodeDeploy (the alias's
// UpdatePolicy), which shifts traffic to the new version as the stage's deploymentPreference
// says (AllAtOnce, a canary, or linear steps) and moves it back when one of the function's
// alarms fires meanwhile. One deployment group per function, its alarms found in the template,
// so that a function or an alarm added later is covered without another edit.

'use strict';

/**
 * What a console sent (infra/plugins/console-sync.cjs): records it rejected, deletions it
 * refused. Such an alarm lasts as long as the console's data does, whatever version runs.
 */
const CONSOLE_DATA = new Set(['RestoresRejected', 'DeletionsRefused']);

/**
 * Alarms that say nothing about a new version: throttles (capacity, not code), alarms that
 * breach on missing data (they would stop every deploy of an idle stage), and alarms on a
 * console's data (they would stop every deploy of the sync while the console's data lasts).
 */
const notAboutTheCode = (properties) =>
  properties.TreatMissingData === 'breaching' ||
  metricsOf(properties).some(
    (metric) => metric.MetricName === 'Throttles' || CONSOLE_DATA.has(metric.MetricName),
  );

/** Every metric an alarm reads, whether a single metric or metric math. */
const metricsOf = (properties) =>
  properties.Metrics
    ? properties.Metrics.flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric] : []))
    : [properties];

/** CodeDeploy allows at most 10 alarms per deployment group. */
const MAX_ALARMS = 10;

class GradualDeploy {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addDeployments(),
    };
  }

  addDeployments() {
    const { service } = this.serverless;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    for (const id of ['CodeDeployApplication', 'CodeDeployServiceRole']) {
      if (!resources[id]) throw new Error(`gradual-deploy: infra/deploy.json (${id}) is missing`);
    }
    const preference = service.custom?.stage?.deploymentPreference;
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      const aliasId = fn.targetAlias?.logicalId;
      if (!aliasId || !resources[aliasId]) throw new Error(`gradual-deploy: ${name} has no live alias`);
      const alarms = this.alarmsOf(name, fn, resources);
      if (alarms.length > MAX_ALARMS) {
        throw new Error(
          `gradual-deploy: ${name} has ${alarms.length} alarms; CodeDeploy takes ${MAX_ALARMS}`,
        );
      }
      const groupId = `${this.provider.naming.getNormalizedFunctionName(name)}DeploymentGroup`;
      resources[groupId] = {
        Type: 'AWS::CodeDeploy::DeploymentGroup',
        Properties: {
          ApplicationName: { Ref: 'CodeDeployApplication' },
          ServiceRoleArn: { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] },
          DeploymentConfigName: `CodeDeployDefault.Lambda${preference}`,
          DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
          AutoRollbackConfiguration: {
            Enabled: true,
            Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
          },
          AlarmConfiguration: { Enabled: true, Alarms: alarms.map((id) => ({ Name: { Ref: id } })) },
        },
      };
      resources[aliasId].UpdatePolicy = {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'CodeDeployApplication' },
          DeploymentGroupName: { Ref: groupId },
        },
      };
    }
  }

  /**
   * The alarms that a bad version of this function would set off: those on its own Lambda
   * metrics, those on the service metrics it writes (dimension Function), and, for a function
   * behind the HTTP API, those on the API's.
   */
  alarmsOf(name, fn, resources) {
    const functionId = this.provider.naming.getLambdaLogicalId(name);
    const functionName = fn.name;
    const behindApi = (fn.events ?? []).some((event) => event.httpApi !== undefined);
    const concerns = (dimension) =>
      (dimension.Name === 'FunctionName' && dimension.Value?.Ref === functionId) ||
      (dimension.Name === 'Function' &&
        (dimension.Value === functionName || dimension.Value?.Ref === functionId)) ||
      (behindApi && dimension.Name === 'ApiId' && dimension.Value?.Ref === 'HttpApi');
    return Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && !r.Condition)
      .filter(([, r]) => !notAboutTheCode(r.Properties))
      .filter(([, r]) => metricsOf(r.Properties).some((m) => (m.Dimensions ?? []).some(concerns)))
      .map(([id]) => id);
  }
}

module.exports = GradualDeploy;

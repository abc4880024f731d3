// The syncRestores function (contract section 14) exists only on a stage that names a console
// (the stage param consoleUrl): without one it is removed before anything is packaged or run.
// With one, this checks the stage's settings (a token secret, a timeout below the schedule's
// period, subnets and security groups together), puts the function in the stage's VPC when
// it names one, and adds its role (least privilege: the pass's table actions, the console's
// secrets only) and its alarms (no successful pass for 10 minutes, a refused deletion,
// rejected records), which the monitoring plugin then draws on the dashboard.

'use strict';

const FUNCTION = 'syncRestores';
const NAMESPACE = 'QRadarRestores';
/** "No successful pass for 10 minutes", widened to two periods of a slower schedule. */
const NO_SUCCESS_SECONDS = 600;

/** A schedule expression's period in seconds: rate(N unit); a cron expression at most every minute. */
const periodSeconds = (schedule) => {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(String(schedule).trim());
  if (rate) {
    const unit = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400 }[rate[2]];
    return Number(rate[1]) * unit;
  }
  if (/^cron\(.+\)$/.test(String(schedule).trim())) return 60;
  throw new Error(`console-sync: syncSchedule is not a schedule expression: ${schedule}`);
};

const list = (value) =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

class ConsoleSync {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.hooks = {
      initialize: () => this.configure(),
      'after:package:compileFunctions': () => this.addResources(),
    };
  }

  fn() {
    return this.serverless.service.functions[FUNCTION];
  }

  configure() {
    const fn = this.fn();
    if (!fn) throw new Error(`console-sync: serverless.yml defines no ${FUNCTION} function`);
    const env = fn.environment ?? {};
    if (!env.QRADAR_CONSOLE_URL) {
      // No console on this stage: no function, no role, no alarms.
      delete this.serverless.service.functions[FUNCTION];
      return;
    }
    if (!env.CONSOLE_TOKEN_SECRET_ARN) {
      throw new Error('console-sync: the stage names a console (consoleUrl) but no consoleTokenSecretArn');
    }
    const schedule = (fn.events ?? []).map((event) => event.schedule).find(Boolean);
    const rate = typeof schedule === 'object' ? schedule.rate : schedule;
    const period = periodSeconds(Array.isArray(rate) ? rate[0] : rate);
    if (!(fn.timeout < period)) {
      throw new Error(
        `console-sync: ${FUNCTION}'s timeout (${fn.timeout} s) must be below its schedule's period (${period} s)`,
      );
    }
    this.period = period;
    const subnets = list(this.param('syncSubnetIds'));
    const groups = list(this.param('syncSecurityGroupIds'));
    if (subnets.length > 0 !== groups.length > 0) {
      throw new Error('console-sync: set both syncSubnetIds and syncSecurityGroupIds, or neither');
    }
    this.inVpc = subnets.length > 0;
    if (this.inVpc) fn.vpc = { subnetIds: subnets, securityGroupIds: groups };
  }

  param(name) {
    return this.serverless.service.custom?.consoleSync?.[name];
  }

  addResources() {
    const fn = this.fn();
    if (!fn) return;
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const functionId = this.provider.naming.getLambdaLogicalId(FUNCTION);
    const logGroupId = this.provider.naming.getLogGroupLogicalId(FUNCTION);
    const env = fn.environment;
    const secrets = [
      env.CONSOLE_TOKEN_SECRET_ARN,
      ...(env.CONSOLE_CA_SECRET_ARN ? [env.CONSOLE_CA_SECRET_ARN] : []),
    ];
    const statements = [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }],
      },
      {
        // A pass reads every item to compare, puts what changed, deletes what its console no
        // longer lists; each write carries its own condition.
        Effect: 'Allow',
        Action: ['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: [{ 'Fn::GetAtt': ['RestoresTable', 'Arn'] }],
      },
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets },
      ...(this.inVpc
        ? [
            {
              // What Lambda needs to attach the function to the stage's subnets; these take no resource.
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
          ]
        : []),
      {
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      },
    ];
    template.Resources.SyncRestoresRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [
          { PolicyName: 'sync-restores', PolicyDocument: { Version: '2012-10-17', Statement: statements } },
        ],
      },
    };
    Object.assign(template.Resources, this.alarms(functionId));
  }

  alarms(functionId) {
    const prefix = `${this.serverless.service.service}-${this.provider.getStage()}`;
    const dimensions = [{ Name: 'Function', Value: { Ref: functionId } }];
    const stat = (name) => ({
      Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: dimensions },
      Period: 60,
      Stat: 'Sum',
    });
    const alarm = (suffix, description, properties) => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${prefix}-${FUNCTION}-${suffix}`,
        AlarmDescription: description,
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
        ...properties,
      },
    });
    const single = (name) => ({
      Namespace: NAMESPACE,
      MetricName: name,
      Dimensions: dimensions,
      Period: 60,
      Statistic: 'Sum',
    });
    const minutes = Math.max(NO_SUCCESS_SECONDS, 2 * this.period) / 60;
    return {
      SyncNoSuccessAlarm: alarm(
        'no-successful-pass',
        `No sync pass succeeded in the last ${minutes} minutes (no pass at all counts). See docs/OPERATIONS.md, "No successful sync pass".`,
        {
          Metrics: [
            { Id: 'passes', MetricStat: stat('SyncPasses'), ReturnData: false },
            { Id: 'failures', MetricStat: stat('SyncFailures'), ReturnData: false },
            {
              Id: 'successes',
              Label: 'Successful sync passes',
              Expression: 'passes - FILL(failures, 0)',
              ReturnData: true,
            },
          ],
          EvaluationPeriods: minutes,
          DatapointsToAlarm: minutes,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
        },
      ),
      SyncDeletionsRefusedAlarm: alarm(
        'deletions-refused',
        'A sync pass refused to delete restores its console no longer lists. See docs/OPERATIONS.md, "Sync deletions refused".',
        {
          ...single('DeletionsRefused'),
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      ),
      SyncRejectedRecordsAlarm: alarm(
        'rejected-records',
        'A sync pass rejected records from its console. See docs/OPERATIONS.md, "Sync rejected records".',
        {
          ...single('RestoresRejected'),
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      ),
    };
  }
}

module.exports = ConsoleSync;
module.exports.periodSeconds = periodSeconds;

// Refuses, before anything is built, a stage whose parameters would deploy something that
// cannot work or whose failures nobody would hear of, and says which parameter to set. The
// alarm address is a stack parameter too (AlarmEmail): a template Rule refuses it empty at
// deploy time where the stage requires one (docs/OPERATIONS.md, "Stage parameters").

'use strict';

/** CodeDeploy's predefined Lambda deployment configurations, without their prefix. */
const DEPLOYMENT_PREFERENCES = [
  'AllAtOnce',
  'Canary10Percent5Minutes',
  'Canary10Percent10Minutes',
  'Canary10Percent15Minutes',
  'Canary10Percent30Minutes',
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery2Minutes',
  'Linear10PercentEvery3Minutes',
  'Linear10PercentEvery10Minutes',
];

/** The service's metric lines are INFO: a higher application level drops every one. */
const LEVELS_THAT_KEEP_METRICS = ['TRACE', 'DEBUG', 'INFO'];

const EMAIL = /^[^@\s]+@[^@\s]+$/;
const HOST = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):[0-9]{12}:certificate\/[0-9a-f-]+$/;
const ZONE = /^Z[A-Z0-9]{1,31}$/;

class StageChecks {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.check(),
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addRules(),
    };
  }

  settings() {
    const settings = this.serverless.service.custom?.stage;
    if (!settings) throw new this.serverless.classes.Error('stage-checks: custom.stage is missing');
    return settings;
  }

  problems() {
    const s = this.settings();
    const stage = this.serverless.getProvider('aws').getStage();
    const found = [];
    if (s.alarmEmailRequired === true && !s.alarmEmail) {
      found.push(
        `Stage ${stage} needs an address for its alarms: pass --param alarmEmail=team@example.org ` +
          `(or set params.${stage}.alarmEmail in serverless.yml).`,
      );
    }
    if (s.alarmEmail && !EMAIL.test(s.alarmEmail)) {
      found.push(`alarmEmail "${s.alarmEmail}" is not an e-mail address.`);
    }
    if (Boolean(s.domainName) !== Boolean(s.certificateArn)) {
      found.push(
        'domainName and certificateArn go together: set both (an ACM certificate of this region for the domain) or neither.',
      );
    }
    if (s.domainName && !HOST.test(s.domainName)) {
      found.push(`domainName "${s.domainName}" is not a host name (lower case, no scheme, no path).`);
    }
    if (s.certificateArn) {
      const [, region] = CERTIFICATE.exec(s.certificateArn) ?? [];
      if (region === undefined)
        found.push(`certificateArn "${s.certificateArn}" is not an ACM certificate ARN.`);
      else if (region !== this.serverless.getProvider('aws').getRegion()) {
        found.push(
          `certificateArn is in ${region}; a regional API domain needs a certificate of its own region, ${this.serverless.getProvider('aws').getRegion()}.`,
        );
      }
    }
    if (s.hostedZoneId && !ZONE.test(s.hostedZoneId)) {
      found.push(`hostedZoneId "${s.hostedZoneId}" is not a Route 53 hosted zone id (Z...).`);
    }
    if (s.hostedZoneId && !s.domainName) {
      found.push(
        'hostedZoneId is set without a domainName: set domainName and certificateArn, or clear hostedZoneId.',
      );
    }
    if (!LEVELS_THAT_KEEP_METRICS.includes(s.logLevel)) {
      found.push(
        `logLevel ${s.logLevel} would drop the service's metric lines, which are INFO: use ${LEVELS_THAT_KEEP_METRICS.join(', ')}.`,
      );
    }
    if (!DEPLOYMENT_PREFERENCES.includes(s.deploymentPreference)) {
      found.push(
        `deploymentPreference "${s.deploymentPreference}" is not one of ${DEPLOYMENT_PREFERENCES.join(', ')}.`,
      );
    }
    for (const name of this.serverless.service.getAllFunctions()) {
      const fn = this.serverless.service.getFunction(name);
      if (fn.reservedConcurrency === undefined || fn.reservedConcurrency === null) continue;
      // A --param arrives as text.
      const reserved = Number(fn.reservedConcurrency);
      if (!Number.isInteger(reserved) || reserved < 1) {
        found.push(
          `${name}Concurrency must be a whole number of at least 1, or null (unreserved); 0 would stop ${name}.`,
        );
        continue;
      }
      for (const event of fn.events ?? []) {
        const pollers = event.sqs?.maximumConcurrency;
        if (pollers !== undefined && Number(pollers) > reserved) {
          found.push(
            `${name} polls with ${pollers} pollers but may run only ${reserved}: its batches would be throttled.`,
          );
        }
      }
    }
    return found;
  }

  check() {
    const found = this.problems();
    if (found.length > 0) {
      throw new this.serverless.classes.Error(
        `The stage's parameters need attention:\n- ${found.join('\n- ')}`,
      );
    }
  }

  /** What CloudFormation itself refuses, should the stack parameter be overridden at deploy time. */
  addRules() {
    if (this.settings().alarmEmailRequired !== true) return;
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    template.Rules = {
      ...template.Rules,
      AlarmEmailGiven: {
        Assertions: [
          {
            Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] },
            AssertDescription:
              'This stage needs an address for its alarms: deploy with --param alarmEmail=team@example.org',
          },
        ],
      },
    };
  }
}

module.exports = StageChecks;

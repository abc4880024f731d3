// The status changes' infrastructure in the packaged dev template: the restores table's stream,
// the mapping that feeds publishStatusChanges (retries, bisection, on-failure destination), the
// rule that hands finished restores to the watcher's queue and the queue policy that lets only
// that rule send, and the alarms on what could go unpublished. Roles: cloudformation.test.ts.

import { beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_TYPE, EVENT_SOURCE } from '../../lib/events/status-change.ts';
import { packageService, type Resource, resourcesOfType, type Template } from '../support/package.ts';

let template: Template;

beforeAll(async () => {
  template = await packageService('dev');
}, 120_000);

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
const resource = (id: string): Resource => {
  const found = template.Resources[id];
  if (found === undefined) throw new Error(`no resource ${id}`);
  return found;
};
const props = (id: string) => resource(id).Properties;

describe('status changes, as packaged', () => {
  it('streams the restores table with both images, and no other table', () => {
    expect(props('RestoresTable')['StreamSpecification']).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    for (const id of ['AuthorizedServicesTable', 'AuthorizedUsersTable'])
      expect(props(id)).not.toHaveProperty('StreamSpecification');
  });

  it("feeds the stream to publishStatusChanges' alias: retried, bisected, then kept in its dead-letter queue", () => {
    const streams = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
      ([, mapping]) =>
        JSON.stringify(mapping.Properties['EventSourceArn']) ===
        JSON.stringify(getAtt('RestoresTable', 'StreamArn')),
    );
    expect(streams).toHaveLength(1);
    expect(streams[0]?.[1].Properties).toEqual({
      EventSourceArn: getAtt('RestoresTable', 'StreamArn'),
      FunctionName: { 'Fn::Join': [':', [getAtt('PublishStatusChangesLambdaFunction'), 'live']] },
      Enabled: true,
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: getAtt('StatusChangesDeadLetterQueue') } },
    });
    expect(props('StatusChangesDeadLetterQueue')).toEqual({
      MessageRetentionPeriod: 1_209_600,
      SqsManagedSseEnabled: true,
    });
  });

  it('runs the publisher with its bus, a timeout its retries fit in, and its own log group', () => {
    expect(props('PublishStatusChangesLambdaFunction')).toMatchObject({
      Timeout: 30,
      MemorySize: 256,
      Role: getAtt('PublishStatusChangesRole'),
      Environment: { Variables: expect.objectContaining({ EVENT_BUS_NAME: 'default' }) },
    });
    expect(props('PublishStatusChangesLogGroup')['LogGroupName']).toBe(
      '/aws/lambda/qradar-restores-dev-publishStatusChanges',
    );
  });

  it("routes finished restores from the stage's bus to the watcher's queue, with retries and dead letters", () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule');
    expect(rules.map(([id]) => id)).toEqual(['RestoreFinishedRule']);
    expect(props('RestoreFinishedRule')).toMatchObject({
      EventBusName: 'default',
      State: 'ENABLED',
      // The publisher's own constants: a rule that drifted from them would match nothing.
      EventPattern: {
        source: [EVENT_SOURCE],
        'detail-type': [DETAIL_TYPE],
        detail: { status: ['FAILED', 'SUCCESS'] },
      },
      Targets: [
        {
          Id: 'restore-watch-queue',
          Arn: getAtt('RestoreWatchQueue'),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: getAtt('RestoreWatchDeadLetterQueue') },
        },
      ],
    });
  });

  it('lets only that rule send to the two queues, and nobody else anything', () => {
    const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');
    expect(policies.map(([id]) => id)).toEqual(['RestoreWatchQueuePolicy']);
    expect(props('RestoreWatchQueuePolicy')).toEqual({
      Queues: [{ Ref: 'RestoreWatchQueue' }, { Ref: 'RestoreWatchDeadLetterQueue' }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: [getAtt('RestoreWatchQueue'), getAtt('RestoreWatchDeadLetterQueue')],
            Condition: { ArnEquals: { 'aws:SourceArn': getAtt('RestoreFinishedRule') } },
          },
        ],
      },
    });
    // The watcher gives up on a message after a few receives: it only logs, so more would not help.
    expect(props('RestoreWatchQueue')['RedrivePolicy']).toEqual({
      deadLetterTargetArn: getAtt('RestoreWatchDeadLetterQueue'),
      maxReceiveCount: 5,
    });
  });

  it('alarms on dead letters, on publishes that keep failing, on announcements falling behind, and on errors', () => {
    expect(props('StatusChangesDeadLetterAlarm')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt('StatusChangesDeadLetterQueue', 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(props('StatusChangePublishFailureAlarm')).toMatchObject({
      Namespace: 'QRadarRestores',
      MetricName: 'StatusChangePublishFailures',
      // The dimension the function's EMF line carries (lib/observability/metrics.ts).
      Dimensions: [{ Name: 'Function', Value: 'qradar-restores-dev-publishStatusChanges' }],
      Statistic: 'Sum',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      Threshold: 0,
    });
    expect(props('StatusChangesIteratorAgeAlarm')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'PublishStatusChangesLambdaFunction' } }],
      Statistic: 'Maximum',
      Threshold: 300_000,
    });
    // Lambda's own errors (a batch that failed whole): the alarm every function gets.
    expect(props('PublishStatusChangesErrorsAlarm')['AlarmName']).toBe(
      'qradar-restores-dev-publishStatusChanges-errors',
    );
  });

  it('outputs where the unpublished batches wait', () => {
    expect(template.Outputs['StatusChangesDeadLetterQueueUrl']?.Value).toEqual({
      Ref: 'StatusChangesDeadLetterQueue',
    });
  });
});

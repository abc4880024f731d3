// Alarms for every function and on API Gateway's own 429s, and one CloudWatch dashboard that
// draws every alarm in the stack (these and infra/alarms.json's) with its threshold, beside the
// service's own metrics.
// Generated, so that a function added to serverless.yml is watched without another edit.

'use strict';

/** The service's own metrics (embedded metric format, written by the functions' logs). */
const NAMESPACE = 'QRadarRestores';
const SERVICE_METRICS = [
  [
    'Requests by status class',
    `SEARCH('{${NAMESPACE},Function,StatusClass} MetricName="Requests"', 'Sum', 60)`,
  ],
  ['Store unavailable', `SEARCH('Namespace="${NAMESPACE}" MetricName="StoreUnavailable"', 'Sum', 60)`],
  ['Internal errors', `SEARCH('Namespace="${NAMESPACE}" MetricName="InternalError"', 'Sum', 60)`],
  ['Authentication failures', `SEARCH('Namespace="${NAMESPACE}" MetricName="AuthFailure"', 'Sum', 60)`],
  ['Cold starts', `SEARCH('Namespace="${NAMESPACE}" MetricName="ColdStart"', 'Sum', 60)`],
  ['Store latency p99 (ms)', `SEARCH('Namespace="${NAMESPACE}" MetricName="StoreLatency"', 'p99', 60)`],
  [
    'Status changes published',
    `SEARCH('Namespace="${NAMESPACE}" MetricName="StatusChangesPublished"', 'Sum', 60)`,
  ],
  [
    'Status changes not published (retried)',
    `SEARCH('Namespace="${NAMESPACE}" MetricName="StatusChangePublishFailures"', 'Sum', 60)`,
  ],
];

/** The sync's own rows (syncRestores, on a stage that names a console). */
const SYNC_METRICS = [
  [
    'Sync passes and failures',
    `SEARCH('{${NAMESPACE},Function} (MetricName="SyncPasses" OR MetricName="SyncFailures")', 'Sum', 60)`,
  ],
  [
    'Restores written, stale, deleted by the sync',
    `SEARCH('{${NAMESPACE},Function} (MetricName="RestoresWritten" OR MetricName="RestoresStale" OR MetricName="RestoresDeleted")', 'Sum', 60)`,
  ],
  [
    'Sync rejected records and refused deletions',
    `SEARCH('{${NAMESPACE},Function} (MetricName="RestoresRejected" OR MetricName="DeletionsRefused")', 'Sum', 60)`,
  ],
  ['Sync pass duration p99 (ms)', `SEARCH('{${NAMESPACE},Function} MetricName="SyncDurationMs"', 'p99', 60)`],
];

/** Near the timeout: p99 duration above this share of it. */
const DURATION_SHARE = 0.8;
/** Errors: thrown errors include a direct caller's RestoreNotFound, hence a rate. */
const ERROR_RATE_PERCENT = 5;

class Monitoring {
  constructor(serverless) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addMonitoring(),
    };
  }

  addMonitoring() {
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    if (!template.Resources.AlarmTopic)
      throw new Error('monitoring: infra/alarms.json (AlarmTopic) is missing');
    const prefix = `${this.serverless.service.service}-${this.provider.getStage()}`;
    for (const name of this.serverless.service.getAllFunctions()) {
      Object.assign(template.Resources, this.functionAlarms(prefix, name));
    }
    if (template.Resources.HttpApiLogGroup) Object.assign(template.Resources, this.throttleAlarm(prefix));
    template.Resources.Dashboard = this.dashboard(prefix, template.Resources);
    template.Outputs.DashboardUrl = {
      Description: 'The CloudWatch dashboard of every alarm and the service metrics',
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: 'AWS::Region' },
            '.console.aws.amazon.com/cloudwatch/home?region=',
            { Ref: 'AWS::Region' },
            '#dashboards:name=',
            { Ref: 'Dashboard' },
          ],
        ],
      },
    };
  }

  functionAlarms(prefix, name) {
    const fn = this.serverless.service.getFunction(name);
    const id = this.provider.naming.getNormalizedFunctionName(name);
    const dimensions = [
      { Name: 'FunctionName', Value: { Ref: this.provider.naming.getLambdaLogicalId(name) } },
    ];
    const metric = (metricName, stat) => ({
      Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions },
      Period: 60,
      Stat: stat,
    });
    const timeoutMs = (fn.timeout ?? this.serverless.service.provider.timeout ?? 6) * 1000;
    const alarm = (suffix, description, properties) => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${prefix}-${name}-${suffix}`,
        AlarmDescription: `${name}: ${description}`,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'AlarmTopic' }],
        OKActions: [{ Ref: 'AlarmTopic' }],
        ...properties,
      },
    });
    return {
      [`${id}ErrorsAlarm`]: alarm(
        'errors',
        `more than ${ERROR_RATE_PERCENT}% of invocations failed in 3 of the last 5 minutes. See docs/OPERATIONS.md, "Function errors".`,
        {
          Metrics: [
            { Id: 'errors', MetricStat: metric('Errors', 'Sum'), ReturnData: false },
            { Id: 'invocations', MetricStat: metric('Invocations', 'Sum'), ReturnData: false },
            {
              Id: 'rate',
              Label: 'Failed invocations (%)',
              Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
              ReturnData: true,
            },
          ],
          EvaluationPeriods: 5,
          DatapointsToAlarm: 3,
          Threshold: ERROR_RATE_PERCENT,
        },
      ),
      [`${id}ThrottlesAlarm`]: alarm(
        'throttles',
        'invocations refused for want of concurrency (the function\'s reservation or the account\'s). See docs/OPERATIONS.md, "Function throttles".',
        { ...flatMetric(metric('Throttles', 'Sum')), EvaluationPeriods: 1, Threshold: 0 },
      ),
      [`${id}DurationAlarm`]: alarm(
        'duration',
        `p99 duration above ${DURATION_SHARE * 100}% of the ${timeoutMs / 1000} s timeout in 3 of the last 5 minutes. See docs/OPERATIONS.md, "Duration near the timeout".`,
        {
          ...flatMetric(metric('Duration', 'p99')),
          EvaluationPeriods: 5,
          DatapointsToAlarm: 3,
          Threshold: timeoutMs * DURATION_SHARE,
        },
      ),
    };
  }

  /**
   * API Gateway's own 429s (the stage and route throttles) never reach a function, and its
   * 4xx metric mixes them with every client error: counted from the access log instead.
   */
  throttleAlarm(prefix) {
    const metric = { Namespace: NAMESPACE, MetricName: `ThrottledRequests-${this.provider.getStage()}` };
    return {
      ThrottledRequestsMetricFilter: {
        Type: 'AWS::Logs::MetricFilter',
        Properties: {
          LogGroupName: { Ref: 'HttpApiLogGroup' },
          FilterPattern: '{ $.status = "429" }',
          MetricTransformations: [
            {
              MetricNamespace: metric.Namespace,
              MetricName: metric.MetricName,
              MetricValue: '1',
              DefaultValue: 0,
              Unit: 'Count',
            },
          ],
        },
      },
      ThrottledRequestsAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: `${prefix}-api-throttled`,
          AlarmDescription:
            'API Gateway refused requests with 429 (the stage or a route throttle) in 3 of the last 5 minutes. See docs/OPERATIONS.md, "API throttled".',
          ...metric,
          Dimensions: [],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 5,
          DatapointsToAlarm: 3,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: 'AlarmTopic' }],
          OKActions: [{ Ref: 'AlarmTopic' }],
        },
      },
    };
  }

  dashboard(prefix, resources) {
    const region = { Ref: 'AWS::Region' };
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const alarmArns = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id]) => ({ 'Fn::GetAtt': [id, 'Arn'] }));
    const widgets = [
      { type: 'alarm', width: 24, height: 4, properties: { title: 'Alarms', alarms: alarmArns } },
      ...alarms.map((a) => ({
        type: 'metric',
        width: 8,
        height: 6,
        properties: alarmGraph(a.Properties, region),
      })),
      ...[...SERVICE_METRICS, ...(resources.SyncRestoresLambdaFunction ? SYNC_METRICS : [])].map(
        ([title, expression]) => ({
          type: 'metric',
          width: 8,
          height: 6,
          properties: { title, region, view: 'timeSeries', metrics: [[{ expression, id: 'm', label: '' }]] },
        }),
      ),
    ];
    return {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: prefix, DashboardBody: toJoin({ widgets: placed(widgets) }) },
    };
  }
}

/** A single-metric alarm's properties from a MetricStat. */
const flatMetric = ({ Metric, Period, Stat }) => ({
  Namespace: Metric.Namespace,
  MetricName: Metric.MetricName,
  Dimensions: Metric.Dimensions,
  Period,
  ...(/^p\d/.test(Stat) ? { ExtendedStatistic: Stat } : { Statistic: Stat }),
});

/** A dashboard graph of exactly what an alarm evaluates, with its threshold drawn. */
const alarmGraph = (alarm, region) => {
  const line = (m, options) => [
    m.Namespace,
    m.MetricName,
    ...m.Dimensions.flatMap((d) => [d.Name, d.Value]),
    options,
  ];
  const metrics = alarm.Metrics
    ? alarm.Metrics.map((q) =>
        q.Expression
          ? [{ expression: q.Expression, id: q.Id, label: q.Label ?? q.Id }]
          : line(q.MetricStat.Metric, {
              id: q.Id,
              stat: q.MetricStat.Stat,
              period: q.MetricStat.Period,
              visible: q.ReturnData !== false,
            }),
      )
    : [line(alarm, { stat: alarm.ExtendedStatistic ?? alarm.Statistic, period: alarm.Period })];
  return {
    title: alarm.AlarmName,
    region,
    view: 'timeSeries',
    metrics,
    annotations: { horizontal: [{ label: 'alarm threshold', value: alarm.Threshold }] },
  };
};

/** Widgets laid out left to right, wrapping at the dashboard's 24 columns. */
const placed = (widgets) => {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((widget) => {
    if (x + widget.width > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const at = { ...widget, x, y };
    x += widget.width;
    rowHeight = Math.max(rowHeight, widget.height);
    return at;
  });
};

/** JSON text as an Fn::Join, each CloudFormation Ref or Fn::GetAtt spliced in where it stood. */
const toJoin = (value) => {
  const intrinsics = [];
  const text = JSON.stringify(value, (_, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && ('Ref' in v || 'Fn::GetAtt' in v)) {
      intrinsics.push(v);
      return `@@${intrinsics.length - 1}@@`;
    }
    return v;
  });
  const parts = text.split(/@@(\d+)@@/).map((part, i) => (i % 2 === 1 ? intrinsics[Number(part)] : part));
  return { 'Fn::Join': ['', parts.filter((part) => part !== '')] };
};

module.exports = Monitoring;

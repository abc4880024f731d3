// The alarms and the dashboard in the packaged template: every function, table and
// dead-letter queue watched, every alarm sent to the topic and drawn on the dashboard.

import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageService, type Resource, resourcesOfType, type Template } from '../support/package.ts';

let template: Template;
let alarms: [string, Resource][];

beforeAll(async () => {
  template = await packageService('dev');
  alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
}, 120_000);

interface MetricQuery {
  Id: string;
  Expression?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown[] }; Stat: string };
}

const alarm = (id: string): Record<string, unknown> => {
  const found = template.Resources[id];
  if (found?.Type !== 'AWS::CloudWatch::Alarm') throw new Error(`no alarm ${id}`);
  return found.Properties;
};

/** The alarms that watch one metric of one resource (a dimension value). */
const alarmsOn = (metricName: string, dimension: unknown) =>
  alarms.filter(([, { Properties: p }]) => {
    const queries = (p['Metrics'] as MetricQuery[] | undefined)?.flatMap(
      (q) => q.MetricStat?.Metric ?? [],
    ) ?? [p as unknown as { MetricName: string; Dimensions: unknown[] }];
    return queries.some(
      (m) => m.MetricName === metricName && JSON.stringify(m.Dimensions).includes(JSON.stringify(dimension)),
    );
  });

const functionIds = () => resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);

describe('alarms', () => {
  it('send every state change to the alarm topic, ignore missing data but where it means silence, and say where to read more', async () => {
    const operations = await readFile(new URL('../../docs/OPERATIONS.md', import.meta.url), 'utf8');
    expect(alarms.length).toBeGreaterThanOrEqual(20);
    for (const [id, { Properties: p }] of alarms) {
      expect(p['AlarmActions']).toEqual([{ Ref: 'AlarmTopic' }]);
      expect(p['OKActions']).toEqual([{ Ref: 'AlarmTopic' }]);
      // No traffic is no failure, except for the alarm that watches for metrics gone quiet.
      expect(p['TreatMissingData']).toBe(id === 'ServiceMetricsMissingAlarm' ? 'breaching' : 'notBreaching');
      expect(String(p['AlarmName'])).toMatch(/^qradar-restores-dev-/);
      // Each description names a section of docs/OPERATIONS.md that exists.
      const [, section] = /See docs\/OPERATIONS\.md, "([^"]+)"/.exec(String(p['AlarmDescription'])) ?? [];
      expect(section).toBeDefined();
      expect(operations).toContain(`### ${section}`);
    }
    expect(template.Resources['AlarmTopic']?.Type).toBe('AWS::SNS::Topic');
  });

  it('watch every function for errors (a rate), throttles and a p99 duration near its timeout', () => {
    expect(functionIds()).toHaveLength(6);
    expect(functionIds()).toContain('ListRestoresLambdaFunction');
    for (const functionId of functionIds()) {
      const fn = template.Resources[functionId]?.Properties ?? {};
      const name = { Ref: functionId };
      const [[errorsId] = []] = alarmsOn('Errors', name);
      const [[throttlesId] = []] = alarmsOn('Throttles', name);
      const [[durationId] = []] = alarmsOn('Duration', name);
      const errors = alarm(String(errorsId));
      expect(errors).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
      const queries = errors['Metrics'] as MetricQuery[];
      expect(queries.find((q) => q.ReturnData)?.Expression).toBe(
        'IF(invocations > 0, 100 * errors / invocations, 0)',
      );
      expect(queries.map((q) => q.MetricStat?.Metric.MetricName).filter(Boolean)).toEqual([
        'Errors',
        'Invocations',
      ]);
      expect(alarm(String(throttlesId))).toMatchObject({
        Namespace: 'AWS/Lambda',
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarm(String(durationId))).toMatchObject({
        Namespace: 'AWS/Lambda',
        ExtendedStatistic: 'p99',
        Threshold: Number(fn['Timeout']) * 1000 * 0.8,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    expect(alarm('GetRestoreDurationAlarm')['Threshold']).toBe(8000);
  });

  it("watch the API's 5xx rate and p99 latency", () => {
    const api = { Ref: 'HttpApi' };
    const rate = alarm('ApiServerErrorRateAlarm');
    expect(rate).toMatchObject({ Threshold: 5, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    const queries = rate['Metrics'] as MetricQuery[];
    expect(queries.find((q) => q.ReturnData)?.Expression).toBe(
      'IF(requests > 0, 100 * errors / requests, 0)',
    );
    expect(queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Metric] : []))).toEqual([
      { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: api }] },
      { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiId', Value: api }] },
    ]);
    expect(alarm('ApiLatencyAlarm')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: [{ Name: 'ApiId', Value: api }],
      ExtendedStatistic: 'p99',
      Threshold: 2000,
    });
  });

  it("watch the service's own 500s, 503s and refused credentials, which Lambda's Errors does not count", () => {
    for (const [id, metric, threshold] of [
      ['InternalErrorAlarm', 'InternalError', 1],
      ['StoreUnavailableAlarm', 'StoreUnavailable', 10],
      ['AuthFailureAlarm', 'AuthFailure', 100],
    ] as const) {
      const watching = alarm(id);
      expect(watching).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      const queries = watching['Metrics'] as MetricQuery[];
      expect(queries.find((q) => q.ReturnData)?.Expression).toBe('getRestore + listRestores + api');
      // The dimension the service's EMF lines carry: the function's name (lib/observability/metrics.ts).
      expect(queries.flatMap((q) => (q.MetricStat ? [q.MetricStat.Metric] : []))).toEqual(
        ['getRestore', 'listRestores', 'api'].map((fn) => ({
          Namespace: 'QRadarRestores',
          MetricName: metric,
          Dimensions: [{ Name: 'Function', Value: `qradar-restores-dev-${fn}` }],
        })),
      );
    }
  });

  it("watch API Gateway's own 429s, counted from the access log", () => {
    const [[filterId, filter] = []] = resourcesOfType(template, 'AWS::Logs::MetricFilter');
    expect(filterId).toBe('ThrottledRequestsMetricFilter');
    expect(filter?.Properties).toEqual({
      LogGroupName: { Ref: 'HttpApiLogGroup' },
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [
        {
          MetricNamespace: 'QRadarRestores',
          MetricName: 'ThrottledRequests-dev',
          MetricValue: '1',
          // Every other access line counts 0: the metric has data whenever there is traffic.
          DefaultValue: 0,
          Unit: 'Count',
        },
      ],
    });
    // The access line's status is the text "429": the pattern must compare it as text.
    const settings = template.Resources['HttpApiStage']?.Properties['AccessLogSettings'] as {
      Format: string;
    };
    const format = JSON.parse(settings.Format);
    expect(format.status).toBe('$context.status');
    expect(alarm('ThrottledRequestsAlarm')).toMatchObject({
      Namespace: 'QRadarRestores',
      MetricName: 'ThrottledRequests-dev',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
    });
  });

  it("fire when API Gateway counts requests for the service while the service's own Requests stays at zero", () => {
    const watching = alarm('ServiceMetricsMissingAlarm');
    expect(watching).toMatchObject({
      TreatMissingData: 'breaching',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    const queries = watching['Metrics'] as MetricQuery[];
    const byId = new Map(queries.map((q) => [q.Id, q]));
    // API requests, less the API page's, which no service metric counts.
    expect(byId.get('api')?.MetricStat?.Metric).toEqual({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Count',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }],
    });
    for (const [id, path] of [
      ['doc', '/api_doc'],
      ['docAsset', '/api_doc/{asset}'],
    ] as const)
      expect(byId.get(id)?.MetricStat?.Metric.Dimensions).toContainEqual({ Name: 'Resource', Value: path });
    // Every Requests series the two API functions write (lib/metrics.ts: Function, StatusClass).
    const requests = queries.filter((q) => q.MetricStat?.Metric.MetricName === 'Requests');
    expect(
      requests.map((q) =>
        q.MetricStat?.Metric.Dimensions.map((d) => (d as { Value: string }).Value).join(' '),
      ),
    ).toEqual(
      ['getRestore', 'api'].flatMap((fn) =>
        ['2xx', '4xx', '5xx'].map((cls) => `qradar-restores-dev-${fn} ${cls}`),
      ),
    );
    // One series: 1 while requests arrive without metrics; a missing series counts as 0.
    const expression = String(queries.find((q) => q.ReturnData)?.Expression);
    expect(expression).toBe(
      `IF((FILL(api, 0) - FILL(doc, 0) - FILL(docAsset, 0)) > 0 AND (${requests.map((q) => `FILL(${q.Id}, 0)`).join(' + ')}) == 0, 1, 0)`,
    );
    // CloudWatch takes at most 10 queries in an alarm.
    expect(queries.length).toBeLessThanOrEqual(10);
  });

  it('watch every table for throttled reads', () => {
    const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(3);
    for (const [, table] of tables) {
      // By its fixed name: the alarms do not wait for the table (infra/plugins/tables-last.cjs).
      const watching = alarmsOn('ReadThrottleEvents', {
        Name: 'TableName',
        Value: table.Properties['TableName'],
      });
      expect(watching).toHaveLength(1);
      expect(watching[0]?.[1].Properties).toMatchObject({
        Namespace: 'AWS/DynamoDB',
        Statistic: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('watch every dead-letter queue for a single message', () => {
    type GetAtt = { 'Fn::GetAtt': string[] };
    // A queue's redrive target, a stream mapping's on-failure destination, a rule target's dead letters.
    const targets = [
      ...resourcesOfType(template, 'AWS::SQS::Queue').map(
        ([, queue]) =>
          (queue.Properties['RedrivePolicy'] as { deadLetterTargetArn?: GetAtt } | undefined)
            ?.deadLetterTargetArn,
      ),
      ...resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(
        ([, mapping]) =>
          (mapping.Properties['DestinationConfig'] as { OnFailure?: { Destination?: GetAtt } } | undefined)
            ?.OnFailure?.Destination,
      ),
      ...resourcesOfType(template, 'AWS::Events::Rule').flatMap(([, rule]) =>
        (rule.Properties['Targets'] as { DeadLetterConfig?: { Arn?: GetAtt } }[]).map(
          (t) => t.DeadLetterConfig?.Arn,
        ),
      ),
    ];
    const deadLetterQueues = [
      ...new Set(targets.flatMap((arn) => (arn ? [arn['Fn::GetAtt'][0]] : []))),
    ].sort();
    expect(deadLetterQueues).toEqual(['RestoreWatchDeadLetterQueue', 'StatusChangesDeadLetterQueue']);
    for (const queueId of deadLetterQueues) {
      const watching = alarmsOn('ApproximateNumberOfMessagesVisible', {
        'Fn::GetAtt': [queueId, 'QueueName'],
      });
      expect(watching).toHaveLength(1);
      expect(watching[0]?.[1].Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        Statistic: 'Maximum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });
});

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: {
    title: string;
    alarms?: string[];
    metrics?: unknown[][];
    annotations?: { horizontal: { value: number }[] };
  };
}

/** The dashboard body with each Ref/GetAtt written as `<Ref X>` / `<GetAtt X.Y>`. */
const dashboardBody = (): { widgets: Widget[] } => {
  const body = template.Resources['Dashboard']?.Properties['DashboardBody'] as {
    'Fn::Join': [string, unknown[]];
  };
  const text = body['Fn::Join'][1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const p = part as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return p.Ref ? `<Ref ${p.Ref}>` : `<GetAtt ${p['Fn::GetAtt']?.join('.')}>`;
    })
    .join('');
  return JSON.parse(text) as { widgets: Widget[] };
};

describe('the dashboard', () => {
  it('lists every alarm in an alarm widget', () => {
    const [status] = dashboardBody().widgets;
    expect(status?.type).toBe('alarm');
    expect(status?.properties.alarms?.sort()).toEqual(alarms.map(([id]) => `<GetAtt ${id}.Arn>`).sort());
  });

  it('draws what each alarm evaluates, with its threshold', () => {
    const graphs = new Map(dashboardBody().widgets.map((w) => [w.properties.title, w.properties]));
    for (const [id, { Properties: p }] of alarms) {
      const graph = graphs.get(String(p['AlarmName']));
      expect(graph, id).toBeDefined();
      expect(graph?.annotations?.horizontal[0]?.value).toBe(p['Threshold']);
      const drawn = JSON.stringify(graph?.metrics);
      const queries = (p['Metrics'] as MetricQuery[] | undefined) ?? [];
      for (const q of queries) expect(drawn).toContain(q.Expression ?? q.MetricStat?.Metric.MetricName);
      if (p['MetricName']) expect(drawn).toContain(`"${p['MetricName']}"`);
    }
    expect(graphs.get('qradar-restores-dev-api-p99-latency')?.metrics).toEqual([
      ['AWS/ApiGateway', 'Latency', 'ApiId', '<Ref HttpApi>', { stat: 'p99', period: 60 }],
    ]);
  });

  it("draws the service's own metrics: requests by status class, store unavailable, internal errors", () => {
    const expressions = JSON.stringify(dashboardBody().widgets.map((w) => w.properties.metrics));
    for (const metric of ['StoreUnavailable', 'InternalError', 'AuthFailure', 'ColdStart', 'StoreLatency']) {
      expect(expressions).toContain(`Namespace=\\"QRadarRestores\\" MetricName=\\"${metric}\\"`);
    }
    expect(expressions).toContain('{QRadarRestores,Function,StatusClass} MetricName=\\"Requests\\"');
  });

  it('lays the widgets out without overlap on the 24-column grid', () => {
    const cells = new Set<string>();
    for (const w of dashboardBody().widgets) {
      expect(w.x + w.width).toBeLessThanOrEqual(24);
      for (let x = w.x; x < w.x + w.width; x++) {
        for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('is named after the stage and linked from the outputs', () => {
    expect(template.Resources['Dashboard']?.Properties['DashboardName']).toBe('qradar-restores-dev');
    expect(JSON.stringify(template.Outputs['DashboardUrl']?.Value)).toContain('#dashboards:name=');
  });
});

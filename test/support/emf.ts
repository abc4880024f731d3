// CloudWatch embedded metric format, as the specification states it
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
// what CloudWatch Logs needs to turn a log line into metrics. A line it cannot read is
// dropped silently there, so the tests read each one as CloudWatch would. The service's
// metrics ride on its access line, so readAccessLine also takes the line apart.

import { METRIC_MEMBERS } from '../../lib/observability/metrics.ts';

const UNITS = new Set([
  ...['Seconds', 'Microseconds', 'Milliseconds', 'Percent', 'Count', 'None'],
  ...['Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes'].flatMap((u) => [u, `${u}/Second`]),
  ...['Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits'].flatMap((u) => [u, `${u}/Second`]),
  'Count/Second',
]);

export interface MetricDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit?: string }[];
}

export interface EmfRecord {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly MetricDirective[] };
  readonly [member: string]: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isName = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;

const isMetricValue = (value: unknown): boolean =>
  Number.isFinite(value) ||
  (Array.isArray(value) && value.length <= 100 && value.every((v) => Number.isFinite(v)));

/** Parses one EMF line; throws, naming the rule, when CloudWatch would not read it as metrics. */
export const readEmf = (line: string): EmfRecord => {
  const record: unknown = JSON.parse(line);
  const fail = (rule: string): never => {
    throw new Error(`not embedded metric format: ${rule}\n${line}`);
  };
  if (!isObject(record) || !isObject(record['_aws'])) return fail('no _aws object');
  const { Timestamp, CloudWatchMetrics } = record['_aws'];
  if (!Number.isSafeInteger(Timestamp) || (Timestamp as number) < 0)
    fail('Timestamp is not epoch milliseconds');
  if (!Array.isArray(CloudWatchMetrics)) return fail('CloudWatchMetrics is not an array');
  for (const directive of CloudWatchMetrics as unknown[]) {
    if (!isObject(directive)) return fail('a directive is not an object');
    const { Namespace, Dimensions, Metrics } = directive;
    if (!isName(Namespace, 255)) fail('Namespace is not 1 to 255 characters');
    if (!Array.isArray(Dimensions)) return fail('Dimensions is not an array');
    for (const set of Dimensions as unknown[]) {
      if (!Array.isArray(set) || set.length > 30) fail('a dimension set is not an array of at most 30');
      for (const name of set as unknown[]) {
        if (!isName(name, 255) || !isName(record[name], 1024))
          fail(`dimension ${String(name)} has no string member`);
      }
    }
    if (!Array.isArray(Metrics) || Metrics.length > 100)
      return fail('Metrics is not an array of at most 100');
    for (const metric of Metrics as unknown[]) {
      if (!isObject(metric) || !isName(metric['Name'], 255)) return fail('a metric has no Name');
      if (metric['Unit'] !== undefined && !UNITS.has(metric['Unit'] as string))
        fail(`unit ${String(metric['Unit'])}`);
      if (!isMetricValue(record[metric['Name']])) fail(`metric ${metric['Name']} has no numeric member`);
    }
  }
  return record as EmfRecord;
};

export interface AccessLine {
  /** The access record: every member that is not a metric's. */
  readonly access: Record<string, unknown>;
  /** The whole line read as EMF. */
  readonly metrics: EmfRecord;
}

/**
 * One access line that carries its request's metrics: valid EMF, and an access record whose
 * members no metric or dimension shares, not even in another case (Logs Insights and any
 * reader would have two fields that look alike).
 */
export const readAccessLine = (line: string): AccessLine => {
  const metrics = readEmf(line);
  // JSON.parse keeps the last of two equal keys: an access field named as a metric would hide.
  for (const name of METRIC_MEMBERS) {
    if (line.split(`"${name}":`).length > 2) throw new Error(`${name} is a member twice\n${line}`);
  }
  const named = new Set(
    metrics._aws.CloudWatchMetrics.flatMap((d) => [...d.Dimensions.flat(), ...d.Metrics.map((m) => m.Name)]),
  );
  for (const name of named) {
    if (!METRIC_MEMBERS.includes(name)) throw new Error(`${name} is not one of METRIC_MEMBERS\n${line}`);
  }
  const reserved = new Set(METRIC_MEMBERS.map((name) => name.toLowerCase()));
  const access: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (METRIC_MEMBERS.includes(name)) continue;
    if (reserved.has(name.toLowerCase()))
      throw new Error(`access field ${name} collides with a metric\n${line}`);
    access[name] = value;
  }
  return { access, metrics };
};

// The service's own metrics in CloudWatch embedded metric format: one JSON line per request
// on stdout, which CloudWatch Logs turns into metrics with no API call and no IAM beyond
// writing logs. Written by hand: the format is one small object, not worth a library's bytes.
// It goes to process.stdout, not console: with `logFormat: JSON` the runtime would wrap a
// console line in its own record, which CloudWatch would not read as EMF.

export const NAMESPACE = 'QRadarRestores';

export interface RequestMetrics {
  /** 2xx, 4xx or 5xx. */
  readonly statusClass: string;
  readonly storeUnavailable: boolean;
  readonly internalError: boolean;
  readonly authFailure: boolean;
  readonly coldStart: boolean;
  /** Milliseconds spent in store calls; undefined when the request made none. */
  readonly storeLatencyMs: number | undefined;
}

const COUNTS = ['Requests', 'StoreUnavailable', 'InternalError', 'AuthFailure', 'ColdStart'] as const;

/** The directives: the same for every request but for StoreLatency, so written out once each. */
const directives = (withLatency: boolean): string =>
  JSON.stringify([
    {
      Namespace: NAMESPACE,
      Dimensions: [['Function', 'StatusClass']],
      Metrics: [{ Name: 'Requests', Unit: 'Count' }],
    },
    {
      Namespace: NAMESPACE,
      Dimensions: [['Function']],
      Metrics: [
        ...COUNTS.slice(1).map((Name) => ({ Name, Unit: 'Count' })),
        ...(withLatency ? [{ Name: 'StoreLatency', Unit: 'Milliseconds' }] : []),
      ],
    },
  ]);
const WITH_LATENCY = directives(true);
const WITHOUT_LATENCY = directives(false);

/** The EMF line (JSON, no newline) for one request of `functionName`. */
export const emfLine = (functionName: string, metrics: RequestMetrics, now = Date.now()): string => {
  const latency = metrics.storeLatencyMs;
  return (
    `{"_aws":{"Timestamp":${now},"CloudWatchMetrics":${latency === undefined ? WITHOUT_LATENCY : WITH_LATENCY}},` +
    `"Function":${JSON.stringify(functionName)},"StatusClass":${JSON.stringify(metrics.statusClass)},"Requests":1,` +
    `"StoreUnavailable":${Number(metrics.storeUnavailable)},"InternalError":${Number(metrics.internalError)},` +
    `"AuthFailure":${Number(metrics.authFailure)},"ColdStart":${Number(metrics.coldStart)}` +
    `${latency === undefined ? '' : `,"StoreLatency":${latency}`}}`
  );
};

export const putMetrics = (functionName: string, metrics: RequestMetrics): void => {
  process.stdout.write(`${emfLine(functionName, metrics)}\n`);
};

/** What one sync pass reports (lib/sync/pass.ts's summary). */
export interface PassMetrics {
  readonly ok: boolean;
  readonly written: number;
  readonly stale: number;
  readonly rejected: number;
  readonly deleted: number;
  readonly deletionsRefused: number;
  readonly durationMs: number;
}

const SYNC_DIRECTIVES = JSON.stringify([
  {
    Namespace: NAMESPACE,
    Dimensions: [['Function']],
    Metrics: [
      ...[
        'SyncPasses',
        'SyncFailures',
        'RestoresWritten',
        'RestoresStale',
        'RestoresRejected',
        'RestoresDeleted',
        'DeletionsRefused',
      ].map((Name) => ({ Name, Unit: 'Count' })),
      { Name: 'SyncDurationMs', Unit: 'Milliseconds' },
    ],
  },
]);

/** The EMF line (JSON, no newline) for one sync pass of `functionName`. */
export const syncEmfLine = (functionName: string, pass: PassMetrics, now = Date.now()): string =>
  `{"_aws":{"Timestamp":${now},"CloudWatchMetrics":${SYNC_DIRECTIVES}},` +
  `"Function":${JSON.stringify(functionName)},"SyncPasses":1,"SyncFailures":${Number(!pass.ok)},` +
  `"RestoresWritten":${pass.written},"RestoresStale":${pass.stale},"RestoresRejected":${pass.rejected},` +
  `"RestoresDeleted":${pass.deleted},"DeletionsRefused":${pass.deletionsRefused},"SyncDurationMs":${pass.durationMs}}`;

export const putSyncMetrics = (functionName: string, pass: PassMetrics): void => {
  process.stdout.write(`${syncEmfLine(functionName, pass)}\n`);
};

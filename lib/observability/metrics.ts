// The service's own metrics in CloudWatch embedded metric format, carried by each request's
// access line (lib/observability/observe.ts): CloudWatch Logs turns the line's `_aws`
// directives and the members they name into metrics, with no API call and no IAM beyond
// writing logs. Written by hand: the format is one small object, not worth a library's bytes.
// EMF reads the members at the line's top level, so their names must not be the access
// line's: the dimensions and metrics are capitalised (`Function`, `ColdStart`), the access
// fields are not, and METRIC_MEMBERS lets a test hold both apart.

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

/**
 * Every top-level member the metrics add to a line: `_aws`, the dimensions, the metrics.
 * Spelled out (no spread), so a bundle that never reads it drops it.
 */
export const METRIC_MEMBERS: readonly string[] = [
  '_aws',
  'Function',
  'StatusClass',
  'Requests',
  'StoreUnavailable',
  'InternalError',
  'AuthFailure',
  'ColdStart',
  'StoreLatency',
];

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

/**
 * The metric members of one request of `functionName` as JSON text, without braces: what
 * the access line appends to its own members. `now` is the line's time, in epoch ms.
 */
export const metricMembers = (functionName: string, metrics: RequestMetrics, now: number): string => {
  const latency = metrics.storeLatencyMs;
  return (
    `"_aws":{"Timestamp":${now},"CloudWatchMetrics":${latency === undefined ? WITHOUT_LATENCY : WITH_LATENCY}},` +
    `"Function":${JSON.stringify(functionName)},"StatusClass":${JSON.stringify(metrics.statusClass)},"Requests":1,` +
    `"StoreUnavailable":${Number(metrics.storeUnavailable)},"InternalError":${Number(metrics.internalError)},` +
    `"AuthFailure":${Number(metrics.authFailure)},"ColdStart":${Number(metrics.coldStart)}` +
    `${latency === undefined ? '' : `,"StoreLatency":${latency}`}`
  );
};

/** What one batch of the table's stream came to (handlers/publishStatusChanges.ts). */
export interface StatusChangeMetrics {
  /** Announcements EventBridge accepted. */
  readonly published: number;
  /** Announcements still refused after the retries: their records go back to Lambda. */
  readonly failed: number;
  /** Stream records that were not valid restores, skipped. */
  readonly skipped: number;
}

const STATUS_CHANGE_DIRECTIVES = JSON.stringify([
  {
    Namespace: NAMESPACE,
    Dimensions: [['Function']],
    Metrics: ['StatusChangesPublished', 'StatusChangePublishFailures', 'StatusChangeRecordsSkipped'].map(
      (Name) => ({ Name, Unit: 'Count' }),
    ),
  },
]);

/** The EMF line (JSON, no newline) for one stream batch of `functionName`. */
export const statusChangeEmfLine = (
  functionName: string,
  metrics: StatusChangeMetrics,
  now = Date.now(),
): string =>
  `{"_aws":{"Timestamp":${now},"CloudWatchMetrics":${STATUS_CHANGE_DIRECTIVES}},` +
  `"Function":${JSON.stringify(functionName)},"StatusChangesPublished":${metrics.published},` +
  `"StatusChangePublishFailures":${metrics.failed},"StatusChangeRecordsSkipped":${metrics.skipped}}`;

export const putStatusChangeMetrics = (functionName: string, metrics: StatusChangeMetrics): void => {
  process.stdout.write(`${statusChangeEmfLine(functionName, metrics)}\n`);
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

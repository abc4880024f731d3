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

/** The EMF document for one request of `functionName`. */
export const emfDocument = (functionName: string, metrics: RequestMetrics, now = Date.now()) => {
  const latency =
    metrics.storeLatencyMs === undefined ? [] : [{ Name: 'StoreLatency', Unit: 'Milliseconds' }];
  return {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: NAMESPACE,
          Dimensions: [['Function', 'StatusClass']],
          Metrics: [{ Name: 'Requests', Unit: 'Count' }],
        },
        {
          Namespace: NAMESPACE,
          Dimensions: [['Function']],
          Metrics: [...COUNTS.slice(1).map((Name) => ({ Name, Unit: 'Count' })), ...latency],
        },
      ],
    },
    Function: functionName,
    StatusClass: metrics.statusClass,
    Requests: 1,
    StoreUnavailable: Number(metrics.storeUnavailable),
    InternalError: Number(metrics.internalError),
    AuthFailure: Number(metrics.authFailure),
    ColdStart: Number(metrics.coldStart),
    ...(metrics.storeLatencyMs === undefined ? {} : { StoreLatency: metrics.storeLatencyMs }),
  };
};

export const putMetrics = (functionName: string, metrics: RequestMetrics): void => {
  process.stdout.write(`${JSON.stringify(emfDocument(functionName, metrics))}\n`);
};

// Bundled by bench/run.ts in place of lib/observability/observe.ts, for the one variant of ours that has no
// observability at all: no access line, no metrics, no readable stacks (lib/observability/log.ts,
// lib/observability/metrics.ts and lib/observability/stack-trace.ts then drop out of the bundle). What it costs is ours minus it.

import type { Middleware } from '../lib/http/event.ts';

export const observe = (): Middleware => ({ before: () => undefined });

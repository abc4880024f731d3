// Bundled by bench/run.ts in place of lib/observe.ts, for the one variant of ours that has no
// observability at all: no access line, no metrics, no readable stacks (lib/log.ts,
// lib/metrics.ts and lib/stack.ts then drop out of the bundle). What it costs is ours minus it.

import type { Middleware } from '../lib/middleware.ts';

export const observe = (): Middleware => ({ before: () => undefined });

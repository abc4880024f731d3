// Preloaded with `node --import ./bench/memory-probe.ts`: samples the process's resident set
// size every 250 ms and records the heap left live after each full garbage collection; when
// the process exits, writes them with its peak RSS (getrusage) as JSON to MEMORY_FILE.

import { writeFileSync } from 'node:fs';
import { GCProfiler } from 'node:v8';

const file = process.env['MEMORY_FILE'];
if (file) {
  const started = performance.now();
  const samples: [ms: number, rssBytes: number][] = [];
  const sample = () => samples.push([Math.round(performance.now() - started), process.memoryUsage.rss()]);
  setInterval(sample, 250).unref();
  const profiler = new GCProfiler();
  profiler.start();
  process.on('exit', () => {
    sample();
    const live = (profiler.stop()?.statistics ?? [])
      .filter((gc) => gc.gcType === 'MarkSweepCompact')
      .map((gc) => gc.afterGC.heapStatistics.usedHeapSize);
    // maxRSS is in KiB.
    writeFileSync(
      file,
      JSON.stringify({ peakBytes: process.resourceUsage().maxRSS * 1024, samples, liveHeapBytes: live }),
    );
  });
}

import type { MetricRegistry } from './metric-registry.js';

/** The standard process_* metrics every Prometheus client library exports. */
export function collectProcessMetrics(registry: MetricRegistry): void {
  const rss = registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.').labels();
  const cpu = registry.counter('process_cpu_seconds_total', 'User and system CPU time spent, in seconds.').labels();
  const heap = registry.gauge('nodejs_heap_used_bytes', 'V8 heap in use, in bytes.').labels();
  registry
    .gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.')
    .labels()
    .set(Math.round(Date.now() / 1000 - process.uptime()));
  registry.collect(() => {
    rss.set(process.memoryUsage.rss());
    const usage = process.cpuUsage();
    cpu.set((usage.user + usage.system) / 1e6);
    heap.set(process.memoryUsage().heapUsed);
  });
}

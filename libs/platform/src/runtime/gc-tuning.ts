import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags every service process sets at start, before it serves anything (runStandalone and the
 * embedded main call tuneServiceRuntime; a test process never does).
 *
 * `--external-memory-accounted-in-global-limit`: by default V8 starts a full mark-compact whenever
 * the memory held outside its heap (ArrayBuffers: every socket read, every Buffer of a reply) has
 * grown by a fixed 64 MiB since the last one, however small the heap is. A gateway passing 40 KB
 * pages through allocates about 150 KB of such memory per request: at 1,500 requests/s that was
 * four to six full collections a second, a third of the gateway's CPU and most of its slow
 * requests (bench/README.md, `gateway.jobs-api`). With the flag, V8 counts that memory in its
 * global limit, which grows with the heap like the heap's own: one or two a second. Memory held
 * stays bounded: the limit is still a limit.
 */
export const SERVICE_V8_FLAGS = ['--external-memory-accounted-in-global-limit'] as const;

/**
 * For a service that passes large answers through at a high rate (the gateway, job-projection:
 * ServiceDefinition.v8Flags): the heap may grow to four times what a full collection left live
 * before the next one (V8 chooses 1.1 to 4 by itself, and chose little for their small heaps, so
 * the requests' short-lived objects promoted meanwhile brought a pause of 5-20 ms every second;
 * with it, one every few seconds). Not for every service: a collector's heap holds a whole
 * squeue snapshot, and four times that is too much to allow.
 */
export const HIGH_THROUGHPUT_V8_FLAGS = ['--heap-growing-percent=300'] as const;

const applied = new Set<string>();

/** Sets SERVICE_V8_FLAGS and `extra` (each flag once per process). */
export function tuneServiceRuntime(extra: readonly string[] = []): void {
  for (const flag of [...SERVICE_V8_FLAGS, ...extra]) {
    if (applied.has(flag)) continue;
    applied.add(flag);
    setFlagsFromString(flag);
  }
}

import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags a service process sets at start, before it serves anything (runStandalone and the
 * embedded main call this; a test process never does).
 *
 * `--external-memory-accounted-in-global-limit`: by default V8 starts a full mark-compact whenever
 * the memory held outside its heap (ArrayBuffers: every socket read, every Buffer of a reply) has
 * grown by a fixed 64 MiB since the last one, however small the heap is. A gateway passing 40 KB
 * pages through allocates about 150 KB of such memory per request: at 1,500 requests/s that was
 * four to six full collections a second, a third of the gateway's CPU and most of its slow
 * requests (measured: bench/README.md, `gateway.jobs-api`). With the flag, V8 counts that memory
 * in its global limit, which grows with the heap and the collector's speed like the heap's own:
 * one or two a second. Memory held stays bounded: the limit is still a limit.
 */
export const SERVICE_V8_FLAGS = ['--external-memory-accounted-in-global-limit'] as const;

let tuned = false;

/** Sets SERVICE_V8_FLAGS once per process. */
export function tuneServiceRuntime(): void {
  if (tuned) return;
  tuned = true;
  for (const flag of SERVICE_V8_FLAGS) setFlagsFromString(flag);
}

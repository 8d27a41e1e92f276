import { Worker } from 'node:worker_threads';
import type { LoadRun } from './load-stats.js';
import type { Target } from './saturating-load.js';

export interface PacedLoadOptions {
  readonly target: Target;
  readonly ratePerSecond: number;
  readonly seconds: number;
  readonly maxSockets: number;
}

/**
 * The young generation of the paced generator's thread, in MiB (V8's default grows to 48). The
 * generator receives the same 40 KB answers as the gateway: with a large young generation the
 * socket buffers (memory outside V8's heap) pile up faster than the heap fills, and V8 frees them
 * with a full mark-compact, a pause of 5-15 ms in the middle of the requests it is timing (about
 * one a second at 1,500/s). With a small one, scavenges of a fraction of a millisecond free them
 * first: measured apart, a Node HTTP client at 1,500 requests/s of 40 KB went from 44 full
 * collections in 8 s to none.
 */
const YOUNG_GENERATION_MB = 3;

/**
 * `ratePerSecond` requests a second for `seconds` (an open loop, see paced-load.worker.ts), run in
 * a worker thread of its own: the benchmark's main thread (autocannon, the report) neither delays
 * its timers nor shares its heap, and its young generation is kept small (YOUNG_GENERATION_MB).
 */
export async function pacedLoad(
  target: Target,
  ratePerSecond: number,
  seconds: number,
  maxSockets: number,
): Promise<LoadRun> {
  const options: PacedLoadOptions = { target, ratePerSecond, seconds, maxSockets };
  const worker = new Worker(new URL('./paced-load.worker.js', import.meta.url), {
    workerData: options,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  try {
    return await new Promise<LoadRun>((resolve, reject) => {
      worker.once('message', (run: LoadRun) => resolve(run));
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the paced load generator's thread exited (code ${code}) with no result`)),
      );
    });
  } finally {
    await worker.terminate();
  }
}

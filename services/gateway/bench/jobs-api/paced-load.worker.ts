/*
 * The paced load generator's own thread (see paced-load.ts, which starts it): it paces the
 * requests, times them and posts the run's LoadRun back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KeepAliveClient } from './keep-alive-client.js';
import { LoadRecorder, type LoadRun } from './load-stats.js';
import type { PacedLoadOptions } from './paced-load.js';

/** Past this many unanswered requests the gateway is hopelessly behind: stop adding to its queue. */
const MAX_OUTSTANDING = 2_000;
/** How long the last requests of a run may take before the run gives up on them. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Requests sent at a fixed rate whatever the answers (an open loop), each one's latency measured
 * from the moment it was due, not from when a free connection sent it: a gateway that falls behind
 * shows it in the latencies instead of quietly being sent less (coordinated omission). This is how
 * the latency targets are meant: p50 and p99 while serving 1,500 requests/s. autocannon's own rate
 * limit cannot say it: it lets each connection send its share of a second back to back at the
 * start of that second, so its latencies are those of a saturated gateway.
 *
 * A gateway that cannot keep up is not an error: requests it has not answered by the end (or that
 * were never sent because MAX_OUTSTANDING were waiting) count as unanswered, with the time they
 * had waited as their latency.
 */
async function pacedLoad({
  target,
  ratePerSecond,
  seconds,
  maxSockets,
}: PacedLoadOptions): Promise<LoadRun> {
  const recorder = new LoadRecorder();
  const client = new KeepAliveClient(new URL(target.url), target.headers, maxSockets);
  const total = Math.round(ratePerSecond * seconds);
  const intervalMs = 1_000 / ratePerSecond;
  /** Due times of the requests sent and not answered yet. */
  const waiting = new Set<{ readonly dueAt: number }>();
  const neverSent: number[] = [];
  let drained: (() => void) | undefined;
  let lastAnswerAt = 0;

  const send = (dueAt: number): void => {
    const entry = { dueAt };
    waiting.add(entry);
    const settle = (): boolean => {
      // False once the run has given up on it: its late answer no longer counts.
      if (!waiting.delete(entry)) return false;
      if (waiting.size === 0) drained?.();
      return true;
    };
    client.get((result) => {
      if (!settle()) return;
      if (!result.ok) return recorder.error(result.error);
      lastAnswerAt = performance.now();
      recorder.record(result.status, result.bytes, lastAnswerAt - dueAt);
    });
  };

  const started = performance.now();
  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = (): void => {
      const now = performance.now();
      const due = Math.min(total, Math.floor((now - started) / intervalMs) + 1);
      for (; sent < due; sent++) {
        const dueAt = started + sent * intervalMs;
        if (waiting.size >= MAX_OUTSTANDING) neverSent.push(dueAt);
        else send(dueAt);
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * intervalMs - now));
      else resolve();
    };
    tick();
  });
  if (waiting.size > 0) {
    await new Promise<void>((resolve) => {
      drained = resolve;
      setTimeout(resolve, DRAIN_TIMEOUT_MS).unref();
    });
  }
  const end = performance.now();
  for (const entry of waiting) recorder.giveUp(end - entry.dueAt);
  for (const dueAt of neverSent) recorder.giveUp(end - dueAt);
  waiting.clear();
  client.close();
  // The rate answered: over the run, or until the last answer if that came later.
  return recorder.summarize(target.label, Math.max(seconds, (lastAnswerAt - started) / 1_000));
}

parentPort!.postMessage(await pacedLoad(workerData as PacedLoadOptions));

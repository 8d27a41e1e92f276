import autocannon from 'autocannon';
import { LoadRecorder, type LoadRun } from './load-stats.js';

export interface Target {
  readonly label: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * autocannon with a fixed number of connections, each sending its next request as soon as the last
 * one's answer arrives (a closed loop): the most the gateway serves at that concurrency. Latencies
 * are taken from autocannon's per-response event rather than its histogram, which keeps whole
 * milliseconds only, too coarse beside a 5 ms target.
 */
export async function saturatingLoad(
  target: Target,
  connections: number,
  seconds: number,
): Promise<LoadRun> {
  const recorder = new LoadRecorder();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        headers: { ...target.headers },
        connections,
        duration: seconds,
        timeout: 10,
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(asError(error)) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, resBytes, responseTime) =>
      recorder.record(statusCode, resBytes, responseTime),
    );
    instance.on('reqError', (error: unknown) => recorder.error(error));
  });
  recorder.errors = Math.max(recorder.errors, result.errors);
  return recorder.summarize(target.label, result.duration);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

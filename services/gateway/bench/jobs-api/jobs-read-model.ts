import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobsReadModelSummary } from '../../../../bench/fixtures/jobs-read-model-summary.js';
import { runToEnd, startNode } from './service-processes.js';
import { ROOT } from './service-stack.js';

/**
 * A jobs read model of `jobs` jobs in `modelFile`, built in a child process by job-projection's
 * builder (see bench/fixtures/jobs-read-model-summary.ts), which also writes the event store's
 * placeholder into `dir`; returns the builder's summary.
 */
export async function buildJobsReadModel(
  dir: string,
  modelFile: string,
  options: { readonly jobs: number; readonly seed: number; readonly page: number },
): Promise<JobsReadModelSummary> {
  const summaryFile = join(dir, 'read-model-summary.json');
  const script = join(
    ROOT,
    'bench/dist/services/job-projection/bench/jobs-read-model/build-jobs-read-model.js',
  );
  const args = [
    modelFile,
    join(dir, 'events.db'),
    String(options.jobs),
    String(options.seed),
    String(options.page),
    summaryFile,
  ];
  await runToEnd(startNode('read-model builder', script, args, {}, null));
  return JSON.parse(readFileSync(summaryFile, 'utf8')) as JobsReadModelSummary;
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { until } from '@clocktower/testing';
import { SACCT_TEXT_FIELDS, SQUEUE_TEXT_FIELDS } from '../../src/domain/parsers/slurm-commands.js';
import type { RawOutput } from '../../src/domain/raw-output.js';
import {
  SlurmSourceError,
  type SlurmSource,
  type SubmitJobRequest,
} from '../../src/adapters/sources/slurm-source.port.js';

export interface SlurmSourceContractOptions {
  /** Node names the cluster must report (the lab's node01, node02; the simulator's own). */
  readonly nodes: readonly string[];
  /** Partition for test jobs; the cluster default when absent. */
  readonly partition?: string;
  /**
   * A directory the test can read, where jobs write their output (as the job's user): checks that
   * a script arrived byte for byte. Leave out where jobs write nothing (the simulator).
   */
  readonly outputDir?: string;
  /** Strings that must never appear in `description` (tokens, key material). */
  readonly secrets?: readonly string[];
  /** How long a submitted job may take to show up, end, or show CANCELLED. Default 30 s. */
  readonly deadlineMs?: number;
}

/**
 * The SlurmSource contract: written once, run against every source that can reach a cluster (local
 * commands, ssh, slurmrestd, the simulator). It reads outputs with `JSON.parse` and field lookups or
 * plain text, never with the collector's parsers, so it checks the sources alone.
 *
 * `open` is called once; the suite closes the source at the end and cancels every job it submitted.
 */
export function slurmSourceContract(
  name: string,
  open: () => Promise<SlurmSource>,
  options: SlurmSourceContractOptions,
): void {
  describe(`Slurm source contract: ${name}`, () => {
    const deadline = options.deadlineMs ?? 30_000;
    const run = `ct${randomBytes(4).toString('hex')}`;
    const submitted: string[] = [];
    const files: string[] = [];
    let source: SlurmSource;

    const job = (extra: Partial<SubmitJobRequest> & { script: string }): SubmitJobRequest => ({
      timeLimitMinutes: 5,
      ...(options.partition === undefined ? {} : { partition: options.partition }),
      output: '/dev/null',
      ...extra,
    });
    const submit = async (request: SubmitJobRequest): Promise<string> => {
      const { jobId } = await source.submit(request);
      submitted.push(jobId);
      return jobId;
    };

    beforeAll(async () => {
      source = await open();
    });

    afterAll(async () => {
      for (const jobId of submitted) await source.cancel({ jobId }).catch(() => undefined);
      await source.close();
      // Every file this suite made is named after its run: nothing else is ever removed.
      for (const file of files) if (basename(file).startsWith(run)) rmSync(file, { force: true });
    });

    it('describes itself without secrets and says whether it is simulated', () => {
      expect(source.description).toMatch(/\S/);
      expect(typeof source.simulated).toBe('boolean');
      for (const secret of options.secrets ?? []) expect(source.description).not.toContain(secret);
    });

    it('returns the queue as squeue output, observed when it was asked', async () => {
      const before = Date.now();
      const output = await source.queue();
      expect(output.kind).toBe('squeue');
      expect(Date.parse(output.observedAt)).toBeGreaterThanOrEqual(before - 1_000);
      expect(Date.parse(output.observedAt)).toBeLessThanOrEqual(Date.now());
      if (output.format === 'json')
        expect(Array.isArray((JSON.parse(output.body) as { jobs?: unknown }).jobs)).toBe(true);
    });

    it('returns the nodes as sinfo output that names every node of the cluster', async () => {
      const output = await source.nodes();
      expect(output.kind).toBe('sinfo');
      expect(nodeNames(output)).toEqual(expect.arrayContaining([...options.nodes]));
    });

    it('returns accounting for a window as sacct output', async () => {
      const output = await source.accounting(new Date(Date.now() - 3_600_000), new Date());
      expect(output.kind).toBe('sacct');
      if (output.format === 'json')
        expect(Array.isArray((JSON.parse(output.body) as { jobs?: unknown }).jobs)).toBe(true);
    });

    it('submits a job that appears in the queue, and cancelling it makes it CANCELLED', async () => {
      const jobId = await submit(job({ script: '#!/bin/sh\nsleep 300\n', name: `${run}-cancel` }));
      expect(jobId).toMatch(/^\d+$/);
      await until(
        `job ${jobId} in the queue`,
        async () => queuedJob(await source.queue(), jobId) !== undefined,
        deadline,
        200,
      );
      await source.cancel({ jobId });
      await until(
        `job ${jobId} CANCELLED`,
        async () => (await stateOf(source, jobId)) === 'CANCELLED',
        deadline,
        200,
      );
    });

    it('refuses invalid submit options before anything runs', async () => {
      const marker = `${run}-invalid`;
      const invalid: [string, Record<string, unknown>][] = [
        ['partition', { partition: 'debug;id' }],
        ['array', { array: '1-3;id' }],
        ['dependency', { dependency: 'afterok:1 && id' }],
        ['timeLimitMinutes', { timeLimitMinutes: 0 }],
        ['memoryMB', { memoryMB: -5 }],
        ['env.lower', { env: { lower: '1' } }],
        ['workDir', { workDir: '/tmp/$(id)' }],
        ['wallTime', { wallTime: 5 }],
        ['script', { script: 'echo no interpreter line' }],
      ];
      for (const [field, bad] of invalid) {
        const error = await source
          .submit({ ...job({ script: '#!/bin/sh\ntrue\n', name: marker }), ...bad })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SlurmSourceError);
        expect(error).toMatchObject({ code: 'INVALID_REQUEST', field });
      }
      await expect(source.cancel({ jobId: '1; scancel -u ctlab' })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        field: 'jobId',
      });
      expect((await source.queue()).body).not.toContain(marker);
    });

    it('refuses a hostile job name: names are whitelisted', async () => {
      for (const name of ['x; touch /tmp/pwned', '$(id)', '`id`', "it's", 'a b', 'line\nbreak']) {
        await expect(
          source.submit(job({ script: '#!/bin/sh\ntrue\n', name })),
        ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'name' });
      }
    });

    it('passes a hostile comment and script as data: the job runs them as written', async () => {
      const pwned = `/tmp/${run}-pwned`;
      const comment = `"; touch ${pwned}; echo $(touch ${pwned}) \`touch ${pwned}\` 'q' \\ $HOME &`;
      const script = `#!/bin/bash\necho "$HOME; rm -rf /tmp/x" \`id\`\necho '${run} done'\n`;
      const output =
        options.outputDir === undefined ? '/dev/null' : `${options.outputDir}/${run}-hostile.out`;
      // Only files this suite created are removed afterwards: never the /dev/null a job wrote to.
      files.push(pwned);
      if (options.outputDir !== undefined) files.push(output);
      const jobId = await submit(job({ script, comment, name: `${run}-hostile`, output }));

      await until(
        `job ${jobId} in the queue`,
        async () => queuedJob(await source.queue(), jobId) !== undefined,
        deadline,
        200,
      );
      expect(commentOf(queuedJob(await source.queue(), jobId)!)).toBe(comment);
      await until(
        `job ${jobId} COMPLETED`,
        async () => (await stateOf(source, jobId)) === 'COMPLETED',
        deadline,
        200,
      );
      expect(existsSync(pwned)).toBe(false);
      if (options.outputDir !== undefined) {
        await until(
          `the output of job ${jobId}`,
          () => existsSync(output) && readFileSync(output, 'utf8').includes(`${run} done`),
          deadline,
          100,
        );
        const [first] = readFileSync(output, 'utf8').split('\n');
        expect(first).toMatch(/^[^\n]*; rm -rf \/tmp\/x uid=\d+\(\w+\)/);
      }
    });
  });
}

type Job = Record<string, unknown> | string[];

function nodeNames(output: RawOutput): string[] {
  if (output.format === 'json')
    return ((JSON.parse(output.body) as { nodes?: { name?: string }[] }).nodes ?? []).map(
      (n) => n.name ?? '',
    );
  // sinfo --Node text: the node name is the first field of each line.
  return output.body.split('\n').map((line) => line.split('|')[0]?.trim() ?? '');
}

const SQUEUE_STATE = SQUEUE_TEXT_FIELDS.findIndex(([, field]) => field === 'state');
const SQUEUE_COMMENT = SQUEUE_TEXT_FIELDS.findIndex(([, field]) => field === 'comment');
const SACCT_STATE = SACCT_TEXT_FIELDS.indexOf('State');

/** The job's record in squeue output: the JSON object, or the text line split on `|`. */
function queuedJob(output: RawOutput, jobId: string): Job | undefined {
  if (output.format === 'json') {
    return (JSON.parse(output.body) as { jobs: Record<string, unknown>[] }).jobs.find(
      (j) => String(j['job_id']) === jobId,
    );
  }
  return output.body
    .split('\n')
    .map((line) => line.split('|'))
    .find((fields) => fields[0]?.trim() === jobId);
}

/** A state as a string: v0.0.40+ give a list (`["CANCELLED"]`), sacct text adds "by UID". */
function baseState(value: unknown): string | undefined {
  const state = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof state === 'string' ? state.split(' ')[0] : undefined;
}

function stateInQueue(job: Job): string | undefined {
  return Array.isArray(job) ? baseState(job[SQUEUE_STATE]?.trim()) : baseState(job['job_state']);
}

function commentOf(job: Job): string | undefined {
  if (Array.isArray(job)) return job.slice(SQUEUE_COMMENT).join('|');
  const comment = job['comment'];
  return typeof comment === 'string' ? comment : undefined;
}

function stateInAccounting(output: RawOutput, jobId: string): string | undefined {
  if (output.format === 'json') {
    const job = (JSON.parse(output.body) as { jobs: Record<string, unknown>[] }).jobs.find(
      (j) => String(j['job_id']) === jobId,
    );
    const state = job?.['state'] as { current?: unknown } | string | undefined;
    return baseState(typeof state === 'object' ? state.current : state);
  }
  const line = output.body.split('\n').find((l) => l.split('|')[0] === jobId);
  return baseState(line?.split('|')[SACCT_STATE]);
}

/** What the queue says of the job, or accounting once the controller has let it go. */
async function stateOf(source: SlurmSource, jobId: string): Promise<string | undefined> {
  const queued = queuedJob(await source.queue(), jobId);
  if (queued !== undefined) return stateInQueue(queued);
  return stateInAccounting(
    await source.accounting(new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000)),
    jobId,
  );
}

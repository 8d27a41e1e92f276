import type { JobRecord } from '@clocktower/contracts';
import { describe, expect, it } from '@jest/globals';
import { fixture, output } from '../../../test/fixtures/fixture.js';
import {
  detectOpenApiVersion,
  parseJobs,
  parseNodes,
  SACCT_TEXT_FIELDS,
  SlurmOutputError,
  SQUEUE_TEXT_FIELDS,
  squeueArgv,
} from './index.js';

function failure(run: () => unknown): SlurmOutputError {
  try {
    run();
  } catch (error) {
    if (error instanceof SlurmOutputError) return error;
    throw error;
  }
  throw new Error('expected a SlurmOutputError');
}

const job = (jobs: JobRecord[], id: string): JobRecord => jobs.find((j) => j.jobId === id)!;

describe('the OpenAPI plugin version, read from the output itself', () => {
  it.each([
    ['slurm-21.08/squeue.json', 'v0.0.37'],
    ['slurm-21.08/sacct.json', 'v0.0.37'],
    ['slurm-22.05/t3-ended/squeue.json', 'v0.0.38'],
    ['slurm-22.05/t3-ended/sacct.json', 'v0.0.38'],
    ['slurm-23.02/squeue.json', 'v0.0.39'],
    ['slurm-23.11/sinfo.json', 'v0.0.40'],
    ['slurm-23.11/squeue.json', 'v0.0.40'],
    ['slurm-24.05/sacct.json', 'v0.0.41'],
    ['slurm-24.11/squeue.json', 'v0.0.42'],
    ['slurm-25.05/nodes.json', 'v0.0.43'],
  ])('%s is %s', (path, version) => {
    expect(detectOpenApiVersion(JSON.parse(fixture(path, 'squeue').body))).toBe(version);
  });

  it('is unknown without meta', () => {
    expect(detectOpenApiVersion({ jobs: [] })).toBe('unknown');
    expect(detectOpenApiVersion('x')).toBe('unknown');
  });
});

describe('parseJobs and parseNodes route by command and format', () => {
  it('reads the same job alike from every source that shows it', () => {
    const squeueJson = parseJobs(fixture('slurm-22.05/t3-ended/squeue.json', 'squeue'), 'lab');
    const squeueText = parseJobs(fixture('slurm-22.05/t3-ended/squeue.txt', 'squeue'), 'lab');
    const scontrol = parseJobs(
      fixture('slurm-22.05/t3-ended/scontrol-jobs.txt', 'scontrol-jobs'),
      'lab',
    );
    const sacctText = parseJobs(fixture('slurm-22.05/t3-ended/sacct.txt', 'sacct'), 'lab');
    const sacctJson = parseJobs(fixture('slurm-22.05/t3-ended/sacct.json', 'sacct'), 'lab');
    for (const records of [squeueJson, squeueText, scontrol, sacctText, sacctJson]) {
      expect(job(records, '39')).toMatchObject({
        jobId: '39',
        name: 'fx-exit3',
        state: 'FAILED',
        nodes: 'node01',
        submitTime: '2026-11-21T16:55:53.000Z',
        startTime: '2026-11-21T16:55:54.000Z',
        endTime: '2026-11-21T16:56:03.000Z',
        timeLimitMinutes: 60,
      });
    }
    // Only sacct's JSON does not know the exit code (it says 0): it says nothing rather than 0.
    expect([squeueJson, scontrol, sacctText, sacctJson].map((r) => job(r, '39').exitCode)).toEqual([
      3,
      3,
      3,
      null,
    ]);
  });

  it('merges sinfo and scontrol nodes to the same records', () => {
    const json = parseNodes(fixture('slurm-22.05/t3-ended/sinfo.json', 'sinfo'), 'lab');
    const text = parseNodes(fixture('slurm-22.05/t3-ended/sinfo.txt', 'sinfo'), 'lab');
    const scontrol = parseNodes(
      fixture('slurm-22.05/t3-ended/scontrol-nodes.txt', 'scontrol-nodes'),
      'lab',
    );
    expect(text).toEqual(json);
    expect(scontrol).toEqual(json);
  });

  it('refuses a command of the other kind', () => {
    expect(failure(() => parseJobs(output('sinfo', 'json', '{}'), 'lab')).reason).toContain(
      'holds nodes, not jobs',
    );
    expect(failure(() => parseNodes(output('squeue', 'text', ''), 'lab')).reason).toContain(
      'holds jobs, not nodes',
    );
  });

  it('reads empty outputs as no records', () => {
    expect(parseJobs(output('squeue', 'text', ''), 'lab')).toEqual([]);
    expect(parseJobs(output('squeue', 'json', '{"meta":{},"errors":[],"jobs":[]}'), 'lab')).toEqual(
      [],
    );
    expect(parseNodes(output('scontrol-nodes', 'text', 'No nodes in the system\n'), 'lab')).toEqual(
      [],
    );
  });

  it('uses argv and field lists that match: one squeue -o code per field', () => {
    expect(squeueArgv('text').at(-1)).toBe(
      `--format=${SQUEUE_TEXT_FIELDS.map(([code]) => code).join('|')}`,
    );
    expect(
      fixture('slurm-22.05/t3-ended/squeue.txt', 'squeue').body.split('\n')[0]!.split('|'),
    ).toHaveLength(SQUEUE_TEXT_FIELDS.length);
    expect(
      fixture('slurm-22.05/t3-ended/sacct.txt', 'sacct').body.split('\n')[0]!.split('|'),
    ).toHaveLength(SACCT_TEXT_FIELDS.length);
  });
});

describe('malformed output fails the whole document with a reason', () => {
  it('is not JSON', () => {
    const error = failure(() =>
      parseJobs(
        output('squeue', 'json', 'squeue: error: Unable to contact slurm controller'),
        'lab',
      ),
    );
    expect(error).toMatchObject({ code: 'SLURM_OUTPUT_INVALID', kind: 'squeue', format: 'json' });
    expect(error.reason).toMatch(/^not valid JSON/);
  });

  it('is truncated JSON', () => {
    const body = fixture('slurm-22.05/t3-ended/squeue.json', 'squeue').body;
    expect(
      failure(() => parseJobs(output('squeue', 'json', body.slice(0, body.length / 2)), 'lab'))
        .reason,
    ).toMatch(/^not valid JSON/);
  });

  it('has no top-level array', () => {
    expect(
      failure(() =>
        parseJobs(
          output('sacct', 'json', '{"meta":{"plugin":{"type":"openapi/dbv0.0.38"}},"errors":[]}'),
          'lab',
        ),
      ).reason,
    ).toBe('no top-level "jobs" array (plugin v0.0.38)');
    expect(
      failure(() => parseNodes(output('sinfo', 'json', '{"errors":[]}'), 'lab')).reason,
    ).toContain('"nodes" or "sinfo"');
    expect(failure(() => parseJobs(output('squeue', 'json', '[]'), 'lab')).reason).toBe(
      'top level is not a JSON object',
    );
  });

  it('carries an error Slurm reported (an empty list then is no answer, not an empty cluster)', () => {
    const body = JSON.stringify({
      meta: {},
      errors: [
        { error: 'Unable to contact slurm controller (connect failure)', error_number: 1007 },
      ],
      jobs: [],
    });
    expect(failure(() => parseJobs(output('squeue', 'json', body), 'lab')).reason).toBe(
      'Slurm reported an error (unknown): Unable to contact slurm controller (connect failure) (error 1007)',
    );
  });

  it('has a record without a required field, named with its index', () => {
    const body = JSON.stringify({
      meta: { plugin: { type: 'openapi/v0.0.38' } },
      errors: [],
      jobs: [{ job_id: 5, job_state: 'RUNNING' }, { job_id: 6 }],
    });
    expect(failure(() => parseJobs(output('squeue', 'json', body), 'lab')).reason).toBe(
      'record 1: required field "job_state" is missing (plugin v0.0.38)',
    );
  });

  it('has a field in a shape no version prints, naming the job', () => {
    const body = JSON.stringify({ errors: [], jobs: [{ job_id: 5, job_state: 7 }] });
    expect(failure(() => parseJobs(output('squeue', 'json', body), 'lab')).reason).toBe(
      'job 0 (job_id 5): job state 7 is neither a string nor a list',
    );
  });

  it('has a text line with the wrong number of fields, named by line number', () => {
    const body = fixture('slurm-22.05/t3-ended/squeue.txt', 'squeue').body.split('\n');
    body.splice(2, 0, '57|57|50|2|fx-throttled|ctlab');
    const error = failure(() => parseJobs(output('squeue', 'text', body.join('\n')), 'lab'));
    expect(error.reason).toBe(
      `line 3: expected ${SQUEUE_TEXT_FIELDS.length} fields separated by "|", found 6`,
    );
  });

  it('has a text time that does not parse, named by line number', () => {
    const lines = fixture('slurm-22.05/t3-ended/sacct.txt', 'sacct').body.split('\n');
    lines[1] = lines[1]!.replace('2026-11-21T16:55:53', '21/11/2026 16:55');
    expect(failure(() => parseJobs(output('sacct', 'text', lines.join('\n')), 'lab')).reason).toBe(
      'line 2: unparseable time "21/11/2026 16:55"',
    );
  });

  it('has a sinfo line whose CPU states are not A/I/O/T', () => {
    const body = 'node01|idle|none|Unknown|Unknown|8|4000|0|(null)|(null)|debug*|lab,cpu|\n';
    expect(failure(() => parseNodes(output('sinfo', 'text', body), 'lab')).reason).toBe(
      'line 1: CPUsState "8" is not A/I/O/T',
    );
  });

  it('has a scontrol node line without its CPU count', () => {
    expect(
      failure(() =>
        parseNodes(
          output('scontrol-nodes', 'text', 'NodeName=node01 State=IDLE RealMemory=4000\n'),
          'lab',
        ),
      ).reason,
    ).toBe('line 1: CPUTot "" is not a count');
  });
});

describe('a JSON version newer than the parsers know', () => {
  const newest = JSON.parse(fixture('slurm-25.05/squeue.json', 'squeue').body) as {
    meta: { plugin: Record<string, string> };
    jobs: Record<string, unknown>[];
  };
  newest.meta.plugin.data_parser = 'data_parser/v0.0.45';

  it('is read as the newest known shape', () => {
    expect(parseJobs(output('squeue', 'json', JSON.stringify(newest)), 'lab')[0]).toMatchObject({
      jobId: '4745',
      state: 'PENDING',
      user: 'sevans',
    });
  });

  it('fails naming the version when a required field has moved', () => {
    const moved = structuredClone(newest);
    delete moved.jobs[0]!.job_state;
    expect(
      failure(() => parseJobs(output('squeue', 'json', JSON.stringify(moved)), 'lab')).reason,
    ).toBe(
      'record 0: required field "job_state" is missing (plugin v0.0.45, newer than v0.0.43: read as the newest known shape)',
    );
  });
});

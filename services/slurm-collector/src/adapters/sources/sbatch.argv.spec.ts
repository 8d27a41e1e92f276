import { describe, expect, it } from '@jest/globals';
import { parseSbatchParsable, sbatchArgv, scancelArgv } from './sbatch.argv.js';
import { SlurmSourceError, type SubmitJobRequest } from './slurm-source.port.js';

const SCRIPT = '#!/bin/bash\necho hello\n';

function refusal(run: () => unknown): SlurmSourceError {
  try {
    run();
  } catch (error) {
    if (error instanceof SlurmSourceError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('sbatch argv', () => {
  it('is just sbatch --parsable for a script alone (the script goes to stdin, not argv)', () => {
    expect(sbatchArgv({ script: SCRIPT })).toEqual(['sbatch', '--parsable']);
  });

  it('maps every option to one --option=value element', () => {
    const argv = sbatchArgv({
      script: SCRIPT,
      name: 'my-job_1.0',
      partition: 'debug,long',
      account: 'physics',
      qos: 'normal',
      timeLimitMinutes: 90,
      nodes: 2,
      cpusPerTask: 4,
      memoryMB: 2048,
      gpus: 1,
      workDir: '/scratch/u/run-1',
      output: '/scratch/u/%x-%j.out',
      error: '/scratch/u/%x-%j.err',
      comment: 'a comment; with $(stuff)',
      array: '0-9%2',
      dependency: 'afterok:12:13_2,singleton',
      hold: true,
    });
    expect(argv).toEqual([
      'sbatch',
      '--parsable',
      '--job-name=my-job_1.0',
      '--partition=debug,long',
      '--account=physics',
      '--qos=normal',
      '--time=90',
      '--nodes=2',
      '--cpus-per-task=4',
      '--mem=2048M',
      '--gpus=1',
      '--chdir=/scratch/u/run-1',
      '--output=/scratch/u/%x-%j.out',
      '--error=/scratch/u/%x-%j.err',
      '--comment=a comment; with $(stuff)',
      '--array=0-9%2',
      '--dependency=afterok:12:13_2,singleton',
      '--hold',
    ]);
  });

  it('puts extra environment variables in front through env, values verbatim', () => {
    expect(sbatchArgv({ script: SCRIPT, env: { RUN_ID: '42', NOTE: 'a b; $(c)\nd' } })).toEqual([
      'env',
      'RUN_ID=42',
      'NOTE=a b; $(c)\nd',
      'sbatch',
      '--parsable',
    ]);
  });

  it.each<[string, Partial<SubmitJobRequest> & Record<string, unknown>]>([
    ['name', { name: 'two words' }],
    ['name', { name: 'x;id' }],
    ['name', { name: '$(id)' }],
    ['name', { name: '' }],
    ['partition', { partition: 'debug;rm -rf /' }],
    ['partition', { partition: 'debug,' }],
    ['account', { account: 'a b' }],
    ['qos', { qos: '`id`' }],
    ['timeLimitMinutes', { timeLimitMinutes: 0 }],
    ['timeLimitMinutes', { timeLimitMinutes: 1.5 }],
    ['nodes', { nodes: -1 }],
    ['cpusPerTask', { cpusPerTask: Number.NaN }],
    ['memoryMB', { memoryMB: '100' as unknown as number }],
    ['gpus', { gpus: Number.POSITIVE_INFINITY }],
    ['workDir', { workDir: '/tmp/a b' }],
    ['output', { output: '/tmp/$(id)' }],
    ['error', { error: "/tmp/'x'" }],
    ['comment', { comment: 'line\nbreak' }],
    ['comment', { comment: 'x'.repeat(1025) }],
    ['array', { array: '1-3;id' }],
    ['array', { array: 'abc' }],
    ['dependency', { dependency: 'afterok:12;id' }],
    ['dependency', { dependency: 'before:12' }],
    ['dependency', { dependency: 'afterok' }],
    ['hold', { hold: 'yes' as unknown as boolean }],
    ['env.lower', { env: { lower: 'x' } }],
    ['env.PATH', { env: { PATH: '/tmp/evil' } }],
    ['env.LD_PRELOAD', { env: { LD_PRELOAD: '/tmp/evil.so' } }],
    ['env.SBATCH_PARTITION', { env: { SBATCH_PARTITION: 'other' } }],
    ['env.X', { env: { X: 'a\0b' } }],
    ['env', { env: ['X=1'] as unknown as Record<string, string> }],
    ['timelimit', { timelimit: 5 }],
  ])('refuses a bad %s before building anything', (field, options) => {
    const error = refusal(() => sbatchArgv({ script: SCRIPT, ...options }));
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it.each([
    ['empty', ''],
    ['without #!', 'echo hi\n'],
    ['with a NUL', '#!/bin/sh\necho \0\n'],
    ['over 4 MiB', `#!/bin/sh\n${'#'.repeat(4 * 1024 * 1024)}`],
  ])('refuses a script that is %s', (_, script) => {
    expect(refusal(() => sbatchArgv({ script })).field).toBe('script');
  });

  it('refuses something that is not a request at all', () => {
    expect(refusal(() => sbatchArgv(null as unknown as SubmitJobRequest)).field).toBe('request');
  });

  it('accepts the dependency forms sbatch documents', () => {
    for (const dependency of [
      'after:1',
      'after:1+5',
      'afterany:1:2',
      'afternotok:3_4',
      'aftercorr:5',
      'singleton',
      'afterok:1?afterany:2',
    ]) {
      expect(sbatchArgv({ script: SCRIPT, dependency })).toContain(`--dependency=${dependency}`);
    }
  });
});

describe('scancel argv', () => {
  it('cancels by id, or signals with --signal', () => {
    expect(scancelArgv({ jobId: '123' })).toEqual(['scancel', '123']);
    expect(scancelArgv({ jobId: '123_4', signal: 'USR1' })).toEqual([
      'scancel',
      '--signal=USR1',
      '123_4',
    ]);
    expect(scancelArgv({ jobId: '7', signal: '15' })).toEqual(['scancel', '--signal=15', '7']);
  });

  it.each([
    ['jobId', { jobId: '123; id' }],
    ['jobId', { jobId: '-1' }],
    ['jobId', { jobId: '12_[1-3]' }],
    ['jobId', {}],
    ['signal', { jobId: '1', signal: 'KILL; id' }],
    ['signal', { jobId: '1', signal: '--full' }],
  ])('refuses a bad %s', (field, request) => {
    expect(refusal(() => scancelArgv(request as { jobId: string })).field).toBe(field);
  });
});

describe('sbatch --parsable output', () => {
  it('reads "jobid" and "jobid;cluster"', () => {
    expect(parseSbatchParsable('42\n')).toEqual({ jobId: '42' });
    expect(parseSbatchParsable('42;lab\n')).toEqual({ jobId: '42', cluster: 'lab' });
  });

  it('takes the last line when something was printed before it', () => {
    expect(parseSbatchParsable('sbatch: note\n43\n')).toEqual({ jobId: '43' });
  });

  it('fails with COMMAND_FAILED on anything else', () => {
    expect(refusal(() => parseSbatchParsable('Submitted batch job 42')).code).toBe(
      'COMMAND_FAILED',
    );
    expect(refusal(() => parseSbatchParsable('')).code).toBe('COMMAND_FAILED');
  });
});

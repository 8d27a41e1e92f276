import { describe, expect, it } from '@jest/globals';
import { sacctArgv, sinfoArgv, squeueArgv } from '../../domain/parsers/slurm-commands.js';
import { CliSlurmSource } from './cli-slurm.source.js';
import type { CommandResult, CommandRunner, RunOptions } from './command-runner.port.js';
import { SlurmSourceError } from './slurm-source.port.js';

/** Records what it was asked to run and answers from a script of results. */
class RecordingRunner implements CommandRunner {
  readonly description = 'fake';
  readonly calls: { argv: readonly string[]; options: RunOptions }[] = [];
  closed = false;

  constructor(
    private readonly answer: (argv: readonly string[]) => Partial<CommandResult> = () => ({}),
  ) {}

  async run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    this.calls.push({ argv, options });
    return { stdout: '', stderr: '', exitCode: 0, signal: null, ...this.answer(argv) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const NOW = new Date('2024-05-01T12:00:00.000Z');

describe('Slurm commands as a source', () => {
  it('runs squeue, sinfo and sacct with the shared argv and returns what they printed, untouched', async () => {
    const runner = new RecordingRunner((argv) => ({ stdout: `out of ${argv[0]}\n` }));
    const source = new CliSlurmSource({ runner, clock: () => NOW });
    const since = new Date('2024-05-01T11:00:00Z');

    expect(await source.queue()).toEqual({
      kind: 'squeue',
      format: 'json',
      body: 'out of squeue\n',
      observedAt: NOW.toISOString(),
    });
    expect(await source.nodes()).toEqual({
      kind: 'sinfo',
      format: 'json',
      body: 'out of sinfo\n',
      observedAt: NOW.toISOString(),
    });
    expect(await source.accounting(since, NOW)).toMatchObject({
      kind: 'sacct',
      format: 'json',
      body: 'out of sacct\n',
    });
    expect(runner.calls.map((c) => c.argv)).toEqual([
      squeueArgv('json'),
      sinfoArgv('json'),
      sacctArgv('json', since, NOW),
    ]);
    expect(runner.calls.every((c) => c.options.stdin === undefined)).toBe(true);
  });

  it('uses the text argv when built for text output', async () => {
    const runner = new RecordingRunner();
    const source = new CliSlurmSource({ runner, format: 'text' });
    expect((await source.queue()).format).toBe('text');
    expect(runner.calls[0]!.argv).toEqual(squeueArgv('text'));
    expect(source.description).toBe('fake (text output)');
  });

  it('gives every command a timeout, a longer one for sacct', async () => {
    const runner = new RecordingRunner();
    const source = new CliSlurmSource({
      runner,
      commandTimeoutMs: 1_000,
      accountingTimeoutMs: 5_000,
    });
    await source.queue();
    await source.accounting(NOW, NOW);
    expect(runner.calls.map((c) => c.options.timeoutMs)).toEqual([1_000, 5_000]);
  });

  it('fails with COMMAND_FAILED carrying the trimmed stderr when a command exits non-zero', async () => {
    const runner = new RecordingRunner(() => ({
      exitCode: 1,
      stderr: '  slurm_load_jobs error: Unable to contact slurm controller\n',
    }));
    const error = await new CliSlurmSource({ runner }).queue().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlurmSourceError);
    expect(error).toMatchObject({
      code: 'COMMAND_FAILED',
      message:
        'fake: squeue exited with 1: slurm_load_jobs error: Unable to contact slurm controller',
    });
  });

  it('says so when a command was killed by a signal', async () => {
    const runner = new RecordingRunner(() => ({ exitCode: null, signal: 'SIGKILL' }));
    await expect(new CliSlurmSource({ runner }).nodes()).rejects.toThrow(
      'fake: sinfo was killed by SIGKILL and printed nothing on stderr',
    );
  });

  it('submits with the script on stdin only, and returns the id sbatch printed', async () => {
    const runner = new RecordingRunner(() => ({ stdout: '77;lab\n' }));
    const script = '#!/bin/bash\necho "$HOME; rm -rf /tmp/x" `id`\n';
    expect(await new CliSlurmSource({ runner }).submit({ script, name: 'j1', hold: true })).toEqual(
      { jobId: '77' },
    );
    expect(runner.calls[0]!.argv).toEqual(['sbatch', '--parsable', '--job-name=j1', '--hold']);
    expect(runner.calls[0]!.options.stdin).toBe(script);
    expect(runner.calls[0]!.argv.join(' ')).not.toContain('echo');
  });

  it('refuses an invalid submit before running anything', async () => {
    const runner = new RecordingRunner();
    await expect(
      new CliSlurmSource({ runner }).submit({ script: '#!/bin/sh\n', partition: 'a b' }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'partition' });
    await expect(new CliSlurmSource({ runner }).cancel({ jobId: '1;id' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'jobId',
    });
    expect(runner.calls).toHaveLength(0);
  });

  it('reports a failed sbatch with its stderr', async () => {
    const runner = new RecordingRunner(() => ({
      exitCode: 1,
      stderr: 'sbatch: error: invalid partition specified: nope\n',
    }));
    await expect(
      new CliSlurmSource({ runner }).submit({ script: '#!/bin/sh\n', partition: 'nope' }),
    ).rejects.toThrow(/sbatch exited with 1: sbatch: error: invalid partition specified: nope$/);
  });

  it('cancels with scancel, with a signal when asked', async () => {
    const runner = new RecordingRunner();
    const source = new CliSlurmSource({ runner });
    await source.cancel({ jobId: '12' });
    await source.cancel({ jobId: '12_3', signal: 'USR1' });
    expect(runner.calls.map((c) => c.argv)).toEqual([
      ['scancel', '12'],
      ['scancel', '--signal=USR1', '12_3'],
    ]);
  });

  it('closes its runner', async () => {
    const runner = new RecordingRunner();
    await new CliSlurmSource({ runner }).close();
    expect(runner.closed).toBe(true);
  });
});

import { describe, expect, it } from '@jest/globals';
import { HOSTILE_ARGUMENTS } from '../../../test/sources/hostile-strings.js';
import { LocalCommandRunner } from './local-command.runner.js';

describe('local command runner', () => {
  const runner = new LocalCommandRunner();

  it('returns stdout, stderr and the exit code', async () => {
    expect(
      await runner.run(['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 5_000 }),
    ).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, signal: null });
  });

  it('passes every argument to the program as is: there is no shell', async () => {
    const { stdout } = await runner.run(['printf', '%s\\0', ...HOSTILE_ARGUMENTS], {
      timeoutMs: 5_000,
    });
    expect(stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGUMENTS);
  });

  it('writes stdin and closes it', async () => {
    const stdin = '#!/bin/bash\necho "$HOME; rm -rf /tmp/x" `id`\n';
    expect((await runner.run(['cat'], { stdin, timeoutMs: 5_000 })).stdout).toBe(stdin);
    expect((await runner.run(['cat'], { timeoutMs: 5_000 })).stdout).toBe('');
  });

  it('kills a command that outlives its timeout and fails with TIMEOUT', async () => {
    await expect(runner.run(['sleep', '30'], { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
  });

  it('kills a command that prints more than the limit', async () => {
    const small = new LocalCommandRunner({ maxOutputBytes: 1_000 });
    await expect(
      small.run(['head', '-c', '100000', '/dev/zero'], { timeoutMs: 5_000 }),
    ).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('more than 1000 bytes'),
    });
  });

  it('does not mind a command that ignores its stdin', async () => {
    expect(
      (await runner.run(['true'], { stdin: 'x'.repeat(1_000_000), timeoutMs: 5_000 })).exitCode,
    ).toBe(0);
  });

  it('fails with COMMAND_FAILED naming a program that is not installed', async () => {
    await expect(runner.run(['ct-no-such-program'], { timeoutMs: 5_000 })).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('ct-no-such-program was not found'),
    });
  });

  it('reports a signal death as a result, not an error', async () => {
    expect(await runner.run(['sh', '-c', 'kill -TERM $$'], { timeoutMs: 5_000 })).toMatchObject({
      exitCode: null,
      signal: 'SIGTERM',
    });
  });
});

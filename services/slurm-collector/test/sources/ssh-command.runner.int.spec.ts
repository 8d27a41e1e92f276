import { afterAll, describe, expect, it } from '@jest/globals';
import { randomInt } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import ssh2 from 'ssh2';
import { freePort, labComponent, until, type LabInfo } from '@clocktower/testing';
import {
  SshCommandRunner,
  type SshCommandRunnerOptions,
} from '../../src/adapters/sources/ssh-command.runner.js';
import type { CommandRunner } from '../../src/adapters/sources/command-runner.port.js';
import { HOSTILE_ARGUMENTS } from './hostile-strings.js';

const ssh = await labComponent('ssh');
const TIMEOUT = { timeoutMs: 10_000 };

/** The client end of the session, from the server's point of view ("ip port"): one per connection. */
async function clientEnd(runner: CommandRunner): Promise<string> {
  const { stdout } = await runner.run(['sh', '-c', 'echo $SSH_CONNECTION'], TIMEOUT);
  return stdout.split(' ').slice(0, 2).join(' ');
}

function procStat(pid: number): { comm: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { comm, ppid };
  } catch {
    return undefined;
  }
}

/** This host's processes by command line: the lab's sshd runs here, so remote commands are local. */
function processCommandLines(): Map<string, number> {
  const lines = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      lines.set(
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim(),
        Number(pid),
      );
    } catch {
      // Gone meanwhile.
    }
  }
  return lines;
}

function pidOf(commandLine: string): number {
  return processCommandLines().get(commandLine) ?? 0;
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function generatedKey(): { private: string; public: string } {
  const pair = ssh2.utils.generateKeyPairSync('ed25519');
  return { private: pair.private, public: pair.public.split(' ').slice(0, 2).join(' ') };
}

if (ssh.available) {
  const lab: LabInfo = ssh.value;
  const hostKeySha256 = (lab.ssh as LabInfo['ssh'] & { hostKeySha256?: string }).hostKeySha256;
  const base: SshCommandRunnerOptions = {
    host: lab.ssh.host,
    port: lab.ssh.port,
    user: lab.ssh.user,
    privateKeyPath: lab.ssh.privateKeyPath,
    hostKey: lab.ssh.hostKey,
  };
  const runners: CommandRunner[] = [];
  const runner = (overrides: Partial<SshCommandRunnerOptions> = {}): SshCommandRunner => {
    const created = new SshCommandRunner({ ...base, ...overrides });
    runners.push(created);
    return created;
  };
  afterAll(async () => {
    await Promise.all(runners.map((r) => r.close()));
  });

  describe('ssh command runner on the lab', () => {
    it('runs commands as the lab user, all of them over one reused connection', async () => {
      const shared = runner();
      const first = await clientEnd(shared);
      const ends = await Promise.all(Array.from({ length: 6 }, () => clientEnd(shared)));
      expect(new Set([first, ...ends]).size).toBe(1);
      expect((await shared.run(['id', '-un'], TIMEOUT)).stdout).toBe(`${lab.ssh.user}\n`);
      expect(shared.description).toBe(`ssh ${lab.ssh.user}@${lab.ssh.host}:${lab.ssh.port}`);
    });

    it('accepts the host key pinned as a key, as a SHA256 fingerprint, or through known_hosts; the private key as a path or as text', async () => {
      const pinnedBy: Partial<SshCommandRunnerOptions>[] = [
        { hostKey: lab.ssh.hostKey },
        { knownHostsPath: lab.ssh.knownHostsPath, hostKey: [] },
        { privateKey: readFileSync(lab.ssh.privateKeyPath, 'utf8') },
        ...(hostKeySha256 === undefined ? [] : [{ hostKey: hostKeySha256 }]),
      ];
      for (const overrides of pinnedBy)
        expect((await runner(overrides).run(['true'], TIMEOUT)).exitCode).toBe(0);
    });

    it('quotes every argument: hostile strings reach the remote program verbatim', async () => {
      const { stdout } = await runner().run(['printf', '%s\\0', ...HOSTILE_ARGUMENTS], TIMEOUT);
      expect(stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGUMENTS);
    });

    it('writes stdin and closes it, and returns stderr and the exit code', async () => {
      const stdin = '#!/bin/bash\necho "$HOME; rm -rf /tmp/x" `id`\n';
      expect(await runner().run(['cat'], { ...TIMEOUT, stdin })).toEqual({
        stdout: stdin,
        stderr: '',
        exitCode: 0,
        signal: null,
      });
      expect(await runner().run(['sh', '-c', 'echo oops >&2; exit 4'], TIMEOUT)).toEqual({
        stdout: '',
        stderr: 'oops\n',
        exitCode: 4,
        signal: null,
      });
    });

    it('queues commands beyond its channel limit instead of failing them', async () => {
      const narrow = runner({ maxChannels: 2 });
      const results = await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          narrow.run(['sh', '-c', `sleep 0.1; echo ${i}`], TIMEOUT),
        ),
      );
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 7 }, (_, i) => `${i}\n`));
    });

    it('refuses to connect when the server presents another key than the pinned one: HOST_KEY_MISMATCH', async () => {
      for (const hostKey of [
        generatedKey().public,
        'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ]) {
        const error = await runner({ hostKey })
          .run(['true'], TIMEOUT)
          .catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'HOST_KEY_MISMATCH' });
        if (hostKeySha256 !== undefined) expect((error as Error).message).toContain(hostKeySha256);
      }
    });

    it('fails with AUTH_FAILED when the server refuses the private key', async () => {
      await expect(
        runner({ privateKey: generatedKey().private }).run(['true'], TIMEOUT),
      ).rejects.toMatchObject({
        code: 'AUTH_FAILED',
        message: expect.stringContaining(`user ${lab.ssh.user}`),
      });
    });

    it('fails with UNREACHABLE when nothing listens, and backs off before the next attempt', async () => {
      const closed = runner({ port: await freePort(), reconnectInitialDelayMs: 60_000 });
      await expect(closed.run(['true'], TIMEOUT)).rejects.toMatchObject({
        code: 'UNREACHABLE',
        message: expect.stringContaining('ECONNREFUSED'),
      });
      await expect(closed.run(['true'], TIMEOUT)).rejects.toMatchObject({
        code: 'UNREACHABLE',
        message: expect.stringMatching(/next connection attempt in \d+\.\d s/),
      });
    });

    it('kills a command that hangs past its timeout (TIMEOUT) and keeps the connection usable', async () => {
      const shared = runner();
      const before = await clientEnd(shared);
      const marker = `30.${randomInt(100_000, 999_999)}`;
      await expect(shared.run(['sleep', marker], { timeoutMs: 500 })).rejects.toMatchObject({
        code: 'TIMEOUT',
      });
      expect(await clientEnd(shared)).toBe(before);
      await until(
        `the remote "sleep ${marker}" to be killed`,
        () => pidOf(`sleep ${marker}`) === 0,
        5_000,
        50,
      );
    });

    it('reconnects after the server drops the connection; the command cut off fails with UNREACHABLE', async () => {
      const shared = runner();
      const before = await clientEnd(shared);
      const marker = `20.${randomInt(100_000, 999_999)}`;
      const cutOff = shared.run(['sleep', marker], TIMEOUT).catch((e: unknown) => e);
      let pid = 0;
      await until(
        'the remote sleep to start',
        () => (pid = pidOf(`sleep ${marker}`)) > 0,
        5_000,
        20,
      );
      // The session's sshd is the first sshd above the command (never the lab's listener, whose
      // command line is "/usr/sbin/sshd -D ...": per-session processes are named "sshd: USER@notty").
      while (procStat(pid) !== undefined && procStat(pid)!.comm !== 'sshd')
        pid = procStat(pid)!.ppid;
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toMatch(
        new RegExp(`^sshd: ${lab.ssh.user}`),
      );
      process.kill(pid, 'SIGKILL');
      expect(await cutOff).toMatchObject({ code: 'UNREACHABLE' });

      const after = await clientEnd(shared);
      expect(after).not.toBe(before);
      expect((await shared.run(['true'], TIMEOUT)).exitCode).toBe(0);
    });

    it('refuses commands once closed', async () => {
      const closing = runner();
      await closing.run(['true'], TIMEOUT);
      await closing.close();
      await expect(closing.run(['true'], TIMEOUT)).rejects.toMatchObject({
        code: 'UNREACHABLE',
        message: expect.stringContaining('closed'),
      });
    });
  });
} else {
  describe.skip(`ssh command runner on the lab (${ssh.reason})`, () => {
    it('needs the lab', () => undefined);
  });
}

describe('ssh command runner settings', () => {
  const target = { host: '127.0.0.1', port: 1, user: 'nobody', hostKey: generatedKey().public };

  it('will not exist without a pinned host key', () => {
    expect(
      thrown(
        () => new SshCommandRunner({ ...target, hostKey: [], privateKey: generatedKey().private }),
      ),
    ).toMatchObject({ code: 'INVALID_REQUEST', field: 'hostKey' });
  });

  it('refuses a private key it cannot read, without quoting it', () => {
    const garbage =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----\n';
    const error = thrown(() => new SshCommandRunner({ ...target, privateKey: garbage }));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'privateKey' });
    expect((error as Error).message).not.toContain('c2VjcmV0');
    expect(() => new SshCommandRunner({ ...target })).toThrow(/set privateKey or privateKeyPath/);
  });
});

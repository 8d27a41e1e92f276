import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labComponent, type LabInfo } from '../src/index.js';

const run = promisify(execFile);
const ssh = await labComponent('ssh');
const slurm = await labComponent('slurm');

function sshArgs(lab: LabInfo, knownHosts: string, command: string[]): string[] {
  return [
    '-i',
    lab.ssh.privateKeyPath,
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-p',
    String(lab.ssh.port),
    `${lab.ssh.user}@${lab.ssh.host}`,
    ...command,
  ];
}

interface SinfoJson {
  nodes: { name: string; state: string; state_flags?: string[]; reason?: string }[];
}

// What every Slurm and ssh suite relies on: the lab is the cluster the tests expect.
(ssh.available && slurm.available ? describe : describe.skip)('the lab', () => {
  const lab = (ssh.available ? ssh.value : undefined)!;

  it('lets the test user run Slurm commands over ssh with the pinned host key', async () => {
    const { stdout } = await run('ssh', sshArgs(lab, lab.ssh.knownHostsPath, ['sinfo', '--json']));
    const nodes = (JSON.parse(stdout) as SinfoJson).nodes;
    const byName = new Map(nodes.map((n) => [n.name, n]));
    // Other suites may drain or down the compute nodes for a while: only that they exist is fixed.
    for (const name of lab.slurm.nodes) expect(byName.has(name)).toBe(true);
    for (const name of lab.slurm.downNodes) expect(byName.get(name)?.state).toBe('down');
    for (const name of lab.slurm.drainedNodes)
      expect(byName.get(name)?.state_flags).toContain('DRAIN');
  });

  it('keeps accounting: sacct answers', async () => {
    const { stdout } = await run(
      'ssh',
      sshArgs(lab, lab.ssh.knownHostsPath, ['sacct', '--json', '-a', '-X', '-S', 'now-1days']),
    );
    expect((JSON.parse(stdout) as { meta: { plugin: { type: string } } }).meta.plugin.type).toMatch(
      /^openapi\//,
    );
  });

  it('refuses to connect when the host key does not match the pinned one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-hostkey-'));
    const wrong = join(dir, 'known_hosts');
    // A real, well-formed ed25519 key that is not the server's.
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'other')]);
    const otherKey = readFileSync(join(dir, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(wrong, `[${lab.ssh.host}]:${lab.ssh.port} ${otherKey}\n`);
    await expect(run('ssh', sshArgs(lab, wrong, ['true']))).rejects.toMatchObject({
      code: 255,
      stderr: expect.stringMatching(/HOST IDENTIFICATION HAS CHANGED|Host key verification failed/),
    });
    rmSync(dir, { recursive: true, force: true });
  });
});

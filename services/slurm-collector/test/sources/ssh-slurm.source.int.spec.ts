import { describe, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { labComponent } from '@clocktower/testing';
import { CliSlurmSource } from '../../src/adapters/sources/cli-slurm.source.js';
import { SshCommandRunner } from '../../src/adapters/sources/ssh-command.runner.js';
import { slurmSourceContract } from './slurm-source.contract.js';

const ssh = await labComponent('ssh');
const slurm = await labComponent('slurm');

if (ssh.available && slurm.available) {
  const lab = ssh.value;
  for (const format of ['json', 'text'] as const) {
    slurmSourceContract(
      `ssh (${format})`,
      async () =>
        new CliSlurmSource({
          runner: new SshCommandRunner({
            host: lab.ssh.host,
            port: lab.ssh.port,
            user: lab.ssh.user,
            privateKeyPath: lab.ssh.privateKeyPath,
            knownHostsPath: lab.ssh.knownHostsPath,
          }),
          format,
        }),
      {
        nodes: lab.slurm.nodes,
        partition: lab.slurm.partition,
        outputDir: '/tmp',
        secrets: [readFileSync(lab.ssh.privateKeyPath, 'utf8').split('\n')[1] ?? 'no key line'],
      },
    );
  }
} else {
  describe.skip(`Slurm source contract: ssh (${ssh.available ? '' : ssh.reason}${slurm.available ? '' : ` ${slurm.reason}`})`, () => {
    it('needs the lab', () => undefined);
  });
}

import { describe, it } from '@jest/globals';
import { labComponent } from '@clocktower/testing';
import { CliSlurmSource } from '../../src/adapters/sources/cli-slurm.source.js';
import { LocalCommandRunner } from '../../src/adapters/sources/local-command.runner.js';
import { slurmSourceContract } from './slurm-source.contract.js';

const slurm = await labComponent('slurm');

if (slurm.available) {
  const lab = slurm.value;
  for (const format of ['json', 'text'] as const) {
    slurmSourceContract(
      `local commands (${format})`,
      async () => new CliSlurmSource({ runner: new LocalCommandRunner(), format }),
      {
        nodes: lab.slurm.nodes,
        partition: lab.slurm.partition,
        outputDir: '/tmp',
      },
    );
  }
} else {
  describe.skip(`Slurm source contract: local commands (${slurm.reason})`, () => {
    it('needs the lab', () => undefined);
  });
}

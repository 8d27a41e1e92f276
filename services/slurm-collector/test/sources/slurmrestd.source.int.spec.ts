import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { labComponent, readLabInfo, type Availability, type LabInfo } from '@clocktower/testing';
import { SlurmrestdSource } from '../../src/adapters/sources/slurmrestd.source.js';
import { slurmSourceContract } from './slurm-source.contract.js';

/** What `deploy/lab/lab.sh up` adds to lab.json when it runs slurmrestd. */
interface RestLab {
  readonly url: string;
  readonly openapiVersion: string;
  readonly user: string;
  readonly tokenPath: string;
}

function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 80) });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Like labComponent: skipped with a reason when absent, a failure under CI=true (the lab runs it). */
async function slurmrestdComponent(): Promise<Availability<{ lab: LabInfo; rest: RestLab }>> {
  const slurm = await labComponent('slurm');
  const rest = (readLabInfo() as (LabInfo & { slurmrestd?: RestLab }) | undefined)?.slurmrestd;
  let result: Availability<{ lab: LabInfo; rest: RestLab }>;
  if (!slurm.available) result = slurm;
  else if (rest === undefined)
    result = {
      available: false,
      reason:
        'lab.json has no "slurmrestd" entry (a lab from before slurmrestd was added: rerun lab.sh up)',
    };
  else if (!(await listening(rest.url)))
    result = { available: false, reason: `nothing listens at ${rest.url}` };
  else result = { available: true, value: { lab: slurm.value, rest } };
  if (!result.available) {
    if (process.env['CI'] === 'true')
      throw new Error(
        `slurmrestd is not available: ${result.reason}. Under CI=true the lab must be up (bash deploy/lab/lab.sh up).`,
      );
    console.warn(
      `SKIPPED suites that need slurmrestd: ${result.reason}. Start the lab with: bash deploy/lab/lab.sh up`,
    );
  }
  return result;
}

const component = await slurmrestdComponent();

if (component.available) {
  const { lab, rest } = component.value;
  const open = (): SlurmrestdSource =>
    new SlurmrestdSource({
      url: rest.url,
      user: rest.user,
      tokenPath: rest.tokenPath,
      openapiVersion: rest.openapiVersion,
    });

  slurmSourceContract('slurmrestd', async () => open(), {
    nodes: lab.slurm.nodes,
    partition: lab.slurm.partition,
    outputDir: '/tmp',
    secrets: [readFileSync(rest.tokenPath, 'utf8').trim()],
  });

  describe('slurmrestd source on the lab', () => {
    it('answers in the same shape family as the commands: OpenAPI meta, errors, jobs/nodes', async () => {
      const source = open();
      for (const output of [
        await source.queue(),
        await source.nodes(),
        await source.accounting(new Date(Date.now() - 600_000), new Date()),
      ]) {
        const document = JSON.parse(output.body) as {
          meta: { plugin: { type: string } };
          errors: unknown[];
        };
        expect(document.meta.plugin.type).toMatch(
          new RegExp(`^openapi/(db)?${rest.openapiVersion}$`),
        );
      }
    });

    it('is AUTH_FAILED or says the token is bad when the token is wrong', async () => {
      const source = new SlurmrestdSource({
        url: rest.url,
        user: rest.user,
        token: 'not-a-jwt',
        openapiVersion: rest.openapiVersion,
      });
      await expect(
        source.accounting(new Date(Date.now() - 600_000), new Date()),
      ).rejects.toMatchObject({ code: 'AUTH_FAILED' });
      await expect(source.queue()).rejects.toMatchObject({
        code: 'COMMAND_FAILED',
        message: expect.stringContaining('token is invalid or expired'),
      });
    });
  });
} else {
  describe.skip(`Slurm source contract: slurmrestd (${component.reason})`, () => {
    it('needs the lab with slurmrestd', () => undefined);
  });
}

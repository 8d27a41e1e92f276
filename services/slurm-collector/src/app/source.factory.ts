import type { LoggerService } from '@nestjs/common';
import { CliSlurmSource } from '../adapters/sources/cli-slurm.source.js';
import { LocalCommandRunner } from '../adapters/sources/local-command.runner.js';
import { ReplaySource } from '../adapters/sources/replay.source.js';
import type { SlurmSource } from '../adapters/sources/slurm-source.port.js';
import { SlurmrestdSource } from '../adapters/sources/slurmrestd.source.js';
import { SshCommandRunner } from '../adapters/sources/ssh-command.runner.js';
import { SimulatorSource } from '../adapters/simulator/simulator.source.js';
import type { ClusterSpec } from './clusters.config.js';

/** Builds the source a cluster's configuration names (validated already by loadClustersFile). */
export function createSource(
  spec: ClusterSpec,
  logger: LoggerService,
  now: () => number = Date.now,
): SlurmSource {
  const { source } = spec;
  const commandTimeoutMs = spec.commandTimeoutSeconds * 1000;
  const sourceLogger = {
    warn: (message: string): void => {
      logger.warn({ msg: message, cluster: spec.name });
    },
    log: (message: string): void => {
      logger.log({ msg: message, cluster: spec.name });
    },
  };
  switch (source.kind) {
    case 'ssh':
      return new CliSlurmSource({
        format: spec.format,
        commandTimeoutMs,
        runner: new SshCommandRunner({
          host: source.host!,
          user: source.user!,
          privateKeyPath: source.privateKeyPath!,
          ...(source.port === undefined ? {} : { port: source.port }),
          ...(source.hostKey === undefined ? {} : { hostKey: source.hostKey }),
          ...(source.knownHostsPath === undefined ? {} : { knownHostsPath: source.knownHostsPath }),
          logger: sourceLogger,
        }),
      });
    case 'local':
      return new CliSlurmSource({
        format: spec.format,
        commandTimeoutMs,
        runner: new LocalCommandRunner(),
      });
    case 'slurmrestd':
      return new SlurmrestdSource({
        url: source.url!,
        user: source.user!,
        tokenPath: source.tokenPath!,
        timeoutMs: commandTimeoutMs,
        ...(source.apiVersion === undefined ? {} : { openapiVersion: source.apiVersion }),
      });
    case 'replay':
      return new ReplaySource({ dirs: source.dirs!, format: spec.format });
    case 'simulator':
      return new SimulatorSource({
        now,
        clusterName: spec.name,
        ...(source.seed === undefined ? {} : { seed: source.seed }),
        ...(source.speed === undefined ? {} : { speed: source.speed }),
      });
  }
}

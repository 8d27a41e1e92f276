import { readFileSync } from 'node:fs';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { parseAs, ValidationFailedError } from '@clocktower/contracts';

const NAME = /^[a-z0-9][a-z0-9_.]*$/;

export const SourceKind = {
  Ssh: 'ssh',
  Local: 'local',
  Slurmrestd: 'slurmrestd',
  Replay: 'replay',
  Simulator: 'simulator',
} as const;
export type SourceKind = (typeof SourceKind)[keyof typeof SourceKind];

/** Where a cluster's Slurm is read from. Which keys apply depends on `kind`. */
export class SourceSpec {
  @IsIn(Object.values(SourceKind)) kind!: SourceKind;
  /** ssh: the login node. */
  @IsOptional() @IsString() @IsNotEmpty() host?: string;
  @IsOptional() @IsInt() @Min(1) @Max(65535) port?: number;
  @IsOptional() @IsString() @IsNotEmpty() user?: string;
  @IsOptional() @IsString() @IsNotEmpty() privateKeyPath?: string;
  /** ssh: the pinned host key (`ssh-ed25519 AAAA…`) or a known_hosts file holding it: one is required. */
  @IsOptional() @IsString() @IsNotEmpty() hostKey?: string;
  @IsOptional() @IsString() @IsNotEmpty() knownHostsPath?: string;
  /** slurmrestd: base URL, user, and a file holding the JWT (never the token itself in config). */
  @IsOptional() @IsString() @Matches(/^https?:\/\//) url?: string;
  @IsOptional() @IsString() @IsNotEmpty() tokenPath?: string;
  @IsOptional() @IsString() @Matches(/^v0\.0\.\d+$/) apiVersion?: string;
  /** replay: directories, one per poll, in order. */
  @IsOptional() @IsArray() @IsString({ each: true }) dirs?: string[];
  /** simulator: seed and virtual seconds per real second. */
  @IsOptional() @IsInt() seed?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100_000) speed?: number;
}

export class IntervalsSpec {
  @IsInt() @Min(1) queueSeconds = 5;
  @IsInt() @Min(1) nodesSeconds = 30;
  @IsInt() @Min(1) accountingSeconds = 60;
}

export class ClusterSpec {
  @IsString()
  @Matches(NAME, { message: 'name must be lowercase letters, digits, "_" and "."' })
  name!: string;
  @ValidateNested() @Type(() => SourceSpec) source!: SourceSpec;
  /** Slurm's --json output (21.08+) or the fixed text formats for sites without it. */
  @IsIn(['json', 'text']) format: 'json' | 'text' = 'json';
  @ValidateNested() @Type(() => IntervalsSpec) intervals: IntervalsSpec = new IntervalsSpec();
  @IsInt() @Min(1) @Max(600) commandTimeoutSeconds = 30;
}

export class ClustersFile {
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => ClusterSpec)
  clusters!: ClusterSpec[];
}

/** The built-in demo cluster, watched when no clusters file is configured. */
export function simulatedClusterSpec(seed: number, speed: number): ClusterSpec {
  return Object.assign(new ClusterSpec(), {
    name: 'simulated',
    source: Object.assign(new SourceSpec(), { kind: SourceKind.Simulator, seed, speed }),
    intervals: Object.assign(new IntervalsSpec(), {
      queueSeconds: 2,
      nodesSeconds: 5,
      accountingSeconds: 10,
    }),
  });
}

/** Reads and validates a clusters file; every problem names its path in the file. */
export function loadClustersFile(path: string): ClusterSpec[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `CLOCKTOWER_CLUSTERS_FILE ${path} cannot be read as JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const file = parseAs(ClustersFile, json, `clusters file ${path}`, { rejectUnknown: true });
  const problems: { path: string; problems: string[] }[] = [];
  file.clusters.forEach((cluster, i) => {
    const need = (keys: (keyof SourceSpec)[]): void => {
      const missing = keys.filter((k) => cluster.source[k] === undefined);
      if (missing.length)
        problems.push({
          path: `clusters.${i}.source`,
          problems: [`${cluster.source.kind} needs ${missing.join(', ')}`],
        });
    };
    if (cluster.source.kind === 'ssh') {
      need(['host', 'user', 'privateKeyPath']);
      if (!cluster.source.hostKey && !cluster.source.knownHostsPath) {
        problems.push({
          path: `clusters.${i}.source`,
          problems: ['ssh needs hostKey or knownHostsPath: host keys are always verified'],
        });
      }
    }
    if (cluster.source.kind === 'slurmrestd') need(['url', 'user', 'tokenPath']);
    if (cluster.source.kind === 'replay') need(['dirs']);
  });
  const names = file.clusters.map((c) => c.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate)
    problems.push({ path: 'clusters', problems: [`cluster ${duplicate} appears twice`] });
  if (problems.length) throw new ValidationFailedError(`clusters file ${path}`, problems);
  return file.clusters;
}

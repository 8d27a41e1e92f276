import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATE_FILTER_VALUES, type JobFilter } from '@clocktower/contracts';
import { CommaList, upperCaseUnlessGroup } from '../validation/query-param.transforms.js';
import { TimeParam, toUtcIso } from '../validation/time-param.decorator.js';
import type { Problems } from '../validation/problems.js';

/**
 * The job filters of `GET /jobs`, shared by the change stream (`GET /events`). Names are the
 * API's (`name`), mapped to the projection's (`nameContains`) by `jobFilterOf`.
 */
export abstract class JobFilterParams {
  @ApiPropertyOptional({ description: 'Cluster name.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  cluster?: string;

  @ApiPropertyOptional({ description: "The job's Slurm user." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  user?: string;

  @ApiPropertyOptional({ description: 'Slurm account.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  account?: string;

  @ApiPropertyOptional({ description: 'Slurm partition.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  partition?: string;

  @ApiPropertyOptional({
    description:
      'Job states, comma-separated, any of: Slurm states (`FAILED`, any case) and the groups ' +
      '`pending`, `running`, `finished`, `failed`.',
  })
  @CommaList(upperCaseUnlessGroup)
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsIn(JOB_STATE_FILTER_VALUES, { each: true })
  state?: string[];

  @ApiPropertyOptional({ description: 'Jobs that ran (or run) on this node.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  node?: string;

  @ApiPropertyOptional({ description: "Part of the job's name (case-insensitive)." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'Job ids, comma-separated.' })
  @CommaList()
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(1_000)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  jobIds?: string[];

  @ApiPropertyOptional({ description: 'The tasks of this job array.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  arrayJobId?: string;

  @ApiPropertyOptional({ description: 'Submitted at or after this time.' })
  @IsOptional()
  @TimeParam()
  submittedFrom?: string;

  @ApiPropertyOptional({ description: 'Submitted at or before this time.' })
  @IsOptional()
  @TimeParam()
  submittedTo?: string;

  @ApiPropertyOptional({ description: 'Started at or after this time.' })
  @IsOptional()
  @TimeParam()
  startedFrom?: string;

  @ApiPropertyOptional({ description: 'Started at or before this time.' })
  @IsOptional()
  @TimeParam()
  startedTo?: string;

  @ApiPropertyOptional({ description: 'Ended at or after this time.' })
  @IsOptional()
  @TimeParam()
  endedFrom?: string;

  @ApiPropertyOptional({ description: 'Ended at or before this time.' })
  @IsOptional()
  @TimeParam()
  endedTo?: string;
}

type Filter = Omit<JobFilter, 'onlyUser' | 'onlyClusters' | 'limit' | 'cursor' | 'page'>;

const RANGES = [
  ['submittedFrom', 'submittedTo'],
  ['startedFrom', 'startedTo'],
  ['endedFrom', 'endedTo'],
] as const;
const TIMES: ReadonlySet<string> = new Set(RANGES.flat());

/**
 * Validated params in the projection's terms: `name` → `nameContains`, times in UTC, absent ones
 * left out; every other field passes as it is (sort, order, paging).
 */
export function jobQueryOf<P extends JobFilterParams>(params: P): Filter & Omit<P, 'name'> {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (key === 'name') query['nameContains'] = value;
    else if (TIMES.has(key)) query[key] = toUtcIso(value as string);
    else query[key] = value;
  }
  return query as Filter & Omit<P, 'name'>;
}

/** A range whose start is after its end matches nothing: almost surely swapped by mistake. */
export function checkRanges(query: Filter, problems: Problems): Problems {
  for (const [from, to] of RANGES) {
    const start = query[from];
    const end = query[to];
    if (start !== undefined && end !== undefined && start > end) {
      problems.add(from, `${from} must not be after ${to}`);
    }
  }
  return problems;
}

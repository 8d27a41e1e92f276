import { IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MIN_STATS_STEP_SECONDS } from '@clocktower/contracts';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';
import { WithPaging } from '../validation/paging.params.js';
import { IntParam } from '../validation/query-param.transforms.js';
import { TimeParam } from '../validation/time-param.decorator.js';

/** `/clusters/{cluster}…`: one cluster. */
@OpenApiFromValidation()
export class ClusterPathParams {
  @ApiProperty({ description: 'Cluster name.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cluster!: string;
}

abstract class AsOfTime {
  @ApiProperty({ description: 'The moment to look at (a date-time without a zone is UTC).' })
  @TimeParam()
  time!: string;
}

/** `GET /clusters/{cluster}/as-of`: the time, and paging through its jobs. */
@OpenApiFromValidation()
export class ClusterAsOfParams extends WithPaging(AsOfTime) {}

abstract class Interval {
  @ApiProperty({ description: 'Changes after this time (exclusive).' })
  @TimeParam()
  from!: string;

  @ApiProperty({ description: 'Changes up to this time (inclusive).' })
  @TimeParam()
  to!: string;
}

/** `GET /clusters/{cluster}/changes`: the interval, and paging through its changes. */
@OpenApiFromValidation()
export class ClusterChangesParams extends WithPaging(Interval) {}

/** `GET /clusters/{cluster}/stats`: the period and the bucket size, all optional. */
@OpenApiFromValidation()
export class ClusterStatsParams {
  @ApiPropertyOptional({ description: 'Start of the period (default: 24 hours before `to`).' })
  @IsOptional()
  @TimeParam()
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period (default: now).' })
  @IsOptional()
  @TimeParam()
  to?: string;

  @ApiPropertyOptional({
    description:
      'Seconds per point (default: about 200 points, in whole minutes); at most 1000 points.',
  })
  @IntParam()
  @IsOptional()
  @IsInt()
  @Min(MIN_STATS_STEP_SECONDS)
  step?: number;
}

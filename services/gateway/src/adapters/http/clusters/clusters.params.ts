import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';
import { WithPaging } from '../validation/paging.params.js';
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

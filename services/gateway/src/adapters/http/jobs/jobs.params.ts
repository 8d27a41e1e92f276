import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  JOB_SORT_FIELDS,
  SORT_ORDERS,
  type JobSortField,
  type SortOrder,
} from '@clocktower/contracts';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';
import { WithPaging } from '../validation/paging.params.js';
import { JobFilterParams } from './job-filter.params.js';

/** `GET /jobs`: the filters, sorting and paging. */
@OpenApiFromValidation()
export class ListJobsParams extends WithPaging(JobFilterParams) {
  @ApiPropertyOptional({ description: 'The field to sort by.' })
  @IsOptional()
  @IsIn(JOB_SORT_FIELDS)
  sort?: JobSortField;

  @ApiPropertyOptional({ description: 'Sort direction.' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: SortOrder;
}

/** `/jobs/{cluster}/{jobId}…`: one job. */
@OpenApiFromValidation()
export class JobPathParams {
  @ApiProperty({ description: 'Cluster name.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cluster!: string;

  @ApiProperty({ description: 'Slurm job id (an array task: its own id).', example: '4242' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  jobId!: string;
}

import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';
import { CommaList, upperCase } from '../validation/query-param.transforms.js';
import { WithPaging } from '../validation/paging.params.js';

abstract class NodeFilterParams {
  @ApiPropertyOptional({ description: 'Cluster name.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  cluster?: string;

  @ApiPropertyOptional({
    description:
      'Base states, comma-separated, any of (IDLE, MIXED, ALLOCATED, DOWN, …; any case).',
  })
  @CommaList(upperCase)
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  state?: string[];

  @ApiPropertyOptional({ description: 'Nodes having this state flag (DRAIN, NOT_RESPONDING, …).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  flag?: string;

  @ApiPropertyOptional({ description: 'Nodes in this partition.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  partition?: string;

  @ApiPropertyOptional({ description: 'Nodes with GPUs of this type.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  gpuType?: string;
}

/** `GET /nodes`: the filters and paging. */
@OpenApiFromValidation()
export class ListNodesParams extends WithPaging(NodeFilterParams) {}

/** `/nodes/{cluster}/{name}…`: one node. */
@OpenApiFromValidation()
export class NodePathParams {
  @ApiProperty({ description: 'Cluster name.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cluster!: string;

  @ApiProperty({ description: 'Node name.', example: 'node01' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

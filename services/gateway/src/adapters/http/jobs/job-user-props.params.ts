import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString } from 'class-validator';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';

/** `DELETE …/user-props?key=a&key=b`: the keys to remove (repeated, never split: keys hold commas). */
@OpenApiFromValidation()
export class DeleteJobUserPropsParams {
  @ApiPropertyOptional({
    description: 'A prop to remove; repeat for several. Absent: remove every prop.',
    type: [String],
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value))
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1_000)
  @IsString({ each: true })
  key?: string[];
}

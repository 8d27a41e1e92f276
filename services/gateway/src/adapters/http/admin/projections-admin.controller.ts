import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { ListProjections, RebuildProjection, UserRole } from '@clocktower/contracts';
import { Roles } from '../../../auth/auth.decorators.js';
import { found } from '../errors/not-found.js';
import {
  ApiAdminOnly,
  ApiNotFound,
  ApiOk,
  ApiProjectionRoute,
} from '../openapi/api-responses.decorator.js';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';
import { ApiSchema, ref } from '../openapi/response.schemas.js';
import { ProjectionClient } from '../projection.client.js';
import { DtoPipe } from '../validation/dto.pipe.js';

@OpenApiFromValidation()
export class ProjectionPathParams {
  @ApiProperty({ description: 'The read model, as GET /admin/projections lists them.' })
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'name must be a projection name' })
  name!: string;
}

/** The projection's read models: where each stands, and rebuilding one by replay. Admins only. */
@ApiTags('admin')
@ApiProjectionRoute()
@ApiAdminOnly()
@Roles(UserRole.Admin)
@Controller('api/v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly projection: ProjectionClient) {}

  @Get()
  @ApiOperation({
    summary: 'Each read model: position, lag, parked events, rebuild progress, page cache',
  })
  @ApiOk(ApiSchema.ProjectionList)
  async list() {
    return { items: await this.projection.ask(ListProjections, {}) };
  }

  @Post(':name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Rebuild a read model by replaying the whole history',
    description:
      'The current model keeps answering until the new one has caught up, then they switch. ' +
      'Answers at once; follow the progress with GET /admin/projections.',
  })
  @ApiAcceptedResponse({ schema: ref(ApiSchema.RebuildStarted) })
  @ApiNotFound('projection')
  async rebuild(@Param(DtoPipe) path: ProjectionPathParams) {
    // Asked first so an unknown name is a 404 whatever the projection's error code for it.
    const projections = await this.projection.ask(ListProjections, {});
    found(
      projections.find((p) => p.name === path.name),
      `projection ${path.name}`,
    );
    return this.projection.ask(RebuildProjection, { name: path.name });
  }
}

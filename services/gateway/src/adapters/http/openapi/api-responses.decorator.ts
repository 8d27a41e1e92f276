import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiSchema, ref } from './response.schemas.js';

const error = { schema: ref(ApiSchema.Error) };

/** What every /api/v1 route may answer besides its success: auth, bad input, projection down. */
export function ApiProjectionRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiBadRequestResponse({
      description: 'A parameter is invalid; `issues` names each.',
      ...error,
    }),
    ApiUnauthorizedResponse({ description: 'No API key, or not a valid one.', ...error }),
    ApiServiceUnavailableResponse({
      description: 'job-projection is not answering; see the `Retry-After` header.',
      ...error,
    }),
  );
}

export function ApiOk(schema: ApiSchema): MethodDecorator {
  return ApiOkResponse({ schema: ref(schema) });
}

export function ApiNotFound(what: string): MethodDecorator {
  return ApiNotFoundResponse({ description: `No such ${what}, or not visible to you.`, ...error });
}

export function ApiAdminOnly(): MethodDecorator & ClassDecorator {
  return ApiForbiddenResponse({ description: 'Only for admins.', ...error });
}

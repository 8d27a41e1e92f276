import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { UserRole } from '@clocktower/contracts';
import { PRINCIPAL_KEY, type Principal, type RequestWithPrincipal } from './principal.js';
import type { QueryScope } from './scope.js';

export const IS_PUBLIC = 'clocktower:auth:public';
export const REQUIRED_ROLES = 'clocktower:auth:roles';
/** Where the guard leaves the caller's query scope, beside the principal. */
export const SCOPE_KEY = 'clocktowerScope';

export interface AuthenticatedRequest extends RequestWithPrincipal {
  [SCOPE_KEY]?: QueryScope;
}

/** The route (or every route of the controller) needs no API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only callers with one of these roles; others get 403. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);

function fromRequest<K extends typeof PRINCIPAL_KEY | typeof SCOPE_KEY>(
  key: K,
  context: ExecutionContext,
): NonNullable<AuthenticatedRequest[K]> {
  const value = context.switchToHttp().getRequest<AuthenticatedRequest>()[key];
  if (value === undefined) {
    // A programming error, not a client's: the route is @Public() or outside /api/.
    throw new Error(`no ${key} on the request: the route is not behind the API key guard`);
  }
  return value;
}

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => fromRequest(PRINCIPAL_KEY, context),
);

/**
 * What the caller may see, as the projection's query filters (`onlyUser`, `onlyClusters`):
 * `scopeOf(principal, CLOCKTOWER_ALL_JOBS_VISIBLE)`. Named so as not to shadow Nest's `Scope`.
 */
export const CurrentScope = createParamDecorator(
  (_data: unknown, context: ExecutionContext): QueryScope => fromRequest(SCOPE_KEY, context),
);

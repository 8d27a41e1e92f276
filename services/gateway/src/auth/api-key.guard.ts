import {
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type LoggerService,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { UserRole } from '@clocktower/contracts';
import {
  IS_PUBLIC,
  REQUIRED_ROLES,
  SCOPE_KEY,
  type AuthenticatedRequest,
} from './auth.decorators.js';
import { keyIdOf } from './api-key.js';
import { PRINCIPAL_KEY } from './principal.js';
import { scopeOf } from './scope.js';
import { UserDirectoryFollower } from './user-directory.follower.js';
import type { RequestWithHeaders } from '../adapters/http/request-headers.js';

export const AUTH_SETTINGS = Symbol('clocktower:auth-settings');

export interface AuthSettings {
  readonly allJobsVisible: boolean;
  readonly logger: LoggerService;
}

interface HttpRequest extends AuthenticatedRequest, RequestWithHeaders {
  readonly path: string;
  readonly method: string;
}

interface HttpResponse {
  setHeader(name: string, value: string): void;
}

/** The API lives under /api/; everything else (/healthz, /readyz, the dashboard) is public. */
const PROTECTED_PREFIX = '/api/';
/** The OpenAPI page and documents (/api/docs, /api/docs-json …): describing the API is not using it. */
const PUBLIC_PREFIXES = ['/api/docs'];
const REALM = 'clocktower';

const HOW_TO_GET_A_KEY =
  'an admin creates one with `npm run users -- key create --email <your email>` ' +
  'or POST /api/v1/admin/users/{userId}/keys';

const REFUSALS = {
  missing: `this endpoint needs an API key: send the header "Authorization: Bearer <key>" (${HOW_TO_GET_A_KEY})`,
  scheme: 'the Authorization header must be "Bearer <key>"',
  malformed: 'the API key is malformed: Clocktower keys look like ct_<keyId>_<secret>',
  unknown: `the API key is not valid: check that it was copied whole, or ask for a new one (${HOW_TO_GET_A_KEY})`,
  revoked: `the API key was revoked: ask for a new one (${HOW_TO_GET_A_KEY})`,
} as const;

/**
 * Authentication and role checks for every HTTP route (a global guard). A route under /api/ needs
 * `Authorization: Bearer <key>` unless marked @Public(); the caller then rides on the request as
 * a Principal, with the query scope the access rules give it. Bus handlers are not HTTP: the bus
 * is inside the trust boundary, so they pass.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly follower: UserDirectoryFollower,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    if (this.isPublic(context, request.path)) return true;

    if (!this.follower.isCaughtUp) {
      // A key may well be valid: it is just not read yet. Say so rather than 401.
      response.setHeader('Retry-After', '1');
      throw new ServiceUnavailableException(
        'the gateway is still reading its users and API keys; try again in a moment',
      );
    }
    const header = request.headers['authorization'];
    if (header === undefined || header === '') return this.refuse(response, 'missing');
    const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
    if (!match) return this.refuse(response, 'scheme');
    const result = this.follower.directory.authenticate(match[1]!);
    if (!result.ok) {
      const keyId = keyIdOf(match[1]!);
      this.settings.logger.warn({
        msg: 'API key refused',
        reason: result.reason,
        // The key id is the public part of a key; the secret is never logged.
        ...(keyId === undefined ? {} : { keyId }),
        method: request.method,
        path: request.path,
      });
      return this.refuse(response, result.reason);
    }
    const principal = result.principal;
    request[PRINCIPAL_KEY] = principal;
    request[SCOPE_KEY] = scopeOf(principal, this.settings.allJobsVisible);

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenException(
        `this endpoint is for ${roles.join(' or ')} users; you (${principal.email}) are ${principal.role}`,
      );
    }
    return true;
  }

  private isPublic(context: ExecutionContext, path: string): boolean {
    return (
      !path.startsWith(PROTECTED_PREFIX) ||
      PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix)) ||
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  /** RFC 6750: a missing credential gets the bare challenge, a bad one `error="invalid_token"`. */
  private refuse(response: HttpResponse, why: keyof typeof REFUSALS): never {
    response.setHeader(
      'WWW-Authenticate',
      why === 'missing' || why === 'scheme'
        ? `Bearer realm="${REALM}"`
        : `Bearer realm="${REALM}", error="invalid_token"`,
    );
    throw new UnauthorizedException(REFUSALS[why]);
  }
}

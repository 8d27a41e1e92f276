import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SCOPE_KEY, type AuthenticatedRequest } from '../../../auth/auth.decorators.js';
import { AUTH_SETTINGS, type AuthSettings } from '../../../auth/api-key.guard.js';
import { keyIdOf } from '../../../auth/api-key.js';
import { PRINCIPAL_KEY } from '../../../auth/principal.js';
import { scopeOf } from '../../../auth/scope.js';
import { UserDirectoryFollower } from '../../../auth/user-directory.follower.js';
import { normalizeEmail } from '../../../domain/user-identity.js';
import { AUTHORIZATION_ERROR, ClockworkReply } from './clockwork-reply.js';
import type { RequestWithHeaders } from '../request-headers.js';

interface HttpRequest extends AuthenticatedRequest, RequestWithHeaders {
  readonly path: string;
  readonly method: string;
}

/** `Basic base64(email:key)` → its two parts (split at the first colon, as Werkzeug does). */
export function basicCredentials(
  header: string | string[] | undefined,
): { email: string; key: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { email: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

/**
 * Clockwork's authentication: HTTP Basic with the user's email and API key. The key is checked
 * by the user directory exactly as for `Bearer` (looked up by key id, SHA-256 compared in
 * constant time, revoked keys refused), then it must belong to that email. Every refusal is
 * Clockwork's 401 `"Authorization error."`, whatever went wrong: nothing tells a guesser which
 * part was wrong (the log says, with the key id only). The caller then rides on the request as
 * for the REST API (@CurrentPrincipal, @CurrentScope).
 */
@Injectable()
export class ClockworkAuthGuard implements CanActivate {
  constructor(
    private readonly follower: UserDirectoryFollower,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    if (!this.follower.isCaughtUp) {
      throw new ClockworkReply(503, 'The server is starting: try again in a moment.');
    }
    const credentials = basicCredentials(request.headers['authorization']);
    if (!credentials) return this.refuse(request, 'no Basic credentials');
    const result = this.follower.directory.authenticate(credentials.key);
    if (!result.ok) return this.refuse(request, result.reason, credentials.key);
    if (result.principal.email !== normalizeEmail(credentials.email)) {
      return this.refuse(request, 'the key belongs to another email', credentials.key);
    }
    request[PRINCIPAL_KEY] = result.principal;
    request[SCOPE_KEY] = scopeOf(result.principal, this.settings.allJobsVisible);
    return true;
  }

  private refuse(request: HttpRequest, reason: string, key?: string): never {
    const keyId = key === undefined ? undefined : keyIdOf(key);
    this.settings.logger.warn({
      msg: 'Clockwork API credentials refused',
      reason,
      // The key id is the public part of a key; the secret is never logged.
      ...(keyId === undefined ? {} : { keyId }),
      method: request.method,
      path: request.path,
    });
    throw new ClockworkReply(401, AUTHORIZATION_ERROR);
  }
}

import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Patch,
  Post,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { UserRole, ValidationFailedError } from '@clocktower/contracts';
import { CurrentPrincipal, Roles } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { UserAccounts, type Actor } from '../../auth/user-accounts.js';
import { UserDirectoryFollower } from '../../auth/user-directory.follower.js';
import { toApiKeyView, toUserView, type ApiKeyView, type UserView } from '../../auth/user.views.js';
import { UserRuleError } from '../../domain/user.errors.js';
import {
  ApiKeyParams,
  ApiKeyResponse,
  CreateApiKeyBody,
  CreatedApiKeyResponse,
  CreateUserBody,
  UpdateUserBody,
  UserIdParams,
  UserListResponse,
  UserResponse,
} from './admin-users.dto.js';
import { DtoPipe } from './validation/dto.pipe.js';
import type { RequestWithHeaders } from './request-headers.js';

interface LocationResponse {
  setHeader(name: string, value: string): void;
}

const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Who did it, for the events: the acting admin's user id; and the chain it belongs to: the
 * client's `X-Correlation-Id` when it sends a sane one, so its own logs line up with the store.
 */
export function actorOf(principal: Principal, request: RequestWithHeaders): Actor {
  const header = request.headers['x-correlation-id'];
  const sent = typeof header === 'string' && SAFE_CORRELATION_ID.test(header) ? header : undefined;
  return { by: principal.userId, correlationId: sent ?? randomUUID() };
}

/** A broken user rule as HTTP: 404 for what does not exist, 409 for a clash with what does. */
function httpErrorOf(error: unknown): unknown {
  if (!(error instanceof UserRuleError)) return error;
  const body = { message: error.message, code: error.code };
  switch (error.code) {
    case 'UNKNOWN_USER':
    case 'UNKNOWN_API_KEY':
      return new NotFoundException(body);
    case 'USER_WRITE_CONFLICT':
      return new ServiceUnavailableException(body);
    default:
      return new ConflictException(body);
  }
}

export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw httpErrorOf(error);
  }
}

/** Managing users and their API keys: admins only. Every change is an event naming the admin. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'The caller is not an admin.' })
@Controller('api/v1/admin/users')
@Roles(UserRole.Admin)
export class AdminUsersController {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly follower: UserDirectoryFollower,
  ) {}

  @Get()
  @ApiOkResponse({ type: UserListResponse })
  list(): { items: UserView[]; total: number } {
    const items = this.follower.directory.users().map(toUserView);
    return { items, total: items.length };
  }

  @Post()
  @ApiCreatedResponse({ type: UserResponse })
  @ApiConflictResponse({ description: 'A user with this email exists (code DUPLICATE_EMAIL).' })
  async create(
    @Body(DtoPipe) body: CreateUserBody,
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithHeaders,
    @Res({ passthrough: true }) response: LocationResponse,
  ): Promise<UserView> {
    const user = await answering(() =>
      this.accounts.createUser(
        {
          email: body.email,
          name: body.name,
          role: body.role ?? UserRole.User,
          slurmUser: body.slurmUser,
          clusters: body.clusters ?? null,
        },
        actorOf(principal, request),
      ),
    );
    response.setHeader('Location', `/api/v1/admin/users/${user.userId}`);
    return toUserView(user);
  }

  @Get(':userId')
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse()
  get(@Param(DtoPipe) params: UserIdParams): UserView {
    const user = this.follower.directory.user(params.userId);
    if (!user)
      throw new NotFoundException({ message: `no user ${params.userId}`, code: 'UNKNOWN_USER' });
    return toUserView(user);
  }

  @Patch(':userId')
  @ApiOkResponse({ type: UserResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Demoting the only admin (code LAST_ADMIN).' })
  async update(
    @Param(DtoPipe) params: UserIdParams,
    @Body(DtoPipe) body: UpdateUserBody,
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithHeaders,
  ): Promise<UserView> {
    const { name, role, slurmUser, clusters } = body;
    if ([name, role, slurmUser, clusters].every((v) => v === undefined)) {
      throw new ValidationFailedError('body', [
        { path: '', problems: ['give at least one of name, role, slurmUser, clusters'] },
      ]);
    }
    const changes = {
      ...(name !== undefined ? { name } : {}),
      ...(role !== undefined ? { role } : {}),
      ...(slurmUser !== undefined ? { slurmUser } : {}),
      ...(clusters !== undefined ? { clusters } : {}),
    };
    const user = await answering(() =>
      this.accounts.updateUser(params.userId, changes, actorOf(principal, request)),
    );
    return toUserView(user);
  }

  @Post(':userId/keys')
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiNotFoundResponse()
  async createKey(
    @Param(DtoPipe) params: UserIdParams,
    @Body(DtoPipe) body: CreateApiKeyBody,
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithHeaders,
  ): Promise<ApiKeyView & { userId: string; key: string }> {
    const { key, state } = await answering(() =>
      this.accounts.createApiKey(params.userId, body.label ?? '', actorOf(principal, request)),
    );
    return { userId: params.userId, key, ...toApiKeyView(state) };
  }

  @Delete(':userId/keys/:keyId')
  @HttpCode(200)
  @ApiOkResponse({ type: ApiKeyResponse, description: 'The key, now revoked.' })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Already revoked (code API_KEY_ALREADY_REVOKED).' })
  async revokeKey(
    @Param(DtoPipe) params: ApiKeyParams,
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithHeaders,
  ): Promise<ApiKeyView> {
    const key = await answering(() =>
      this.accounts.revokeApiKey(params.userId, params.keyId, actorOf(principal, request)),
    );
    return toApiKeyView(key);
  }
}

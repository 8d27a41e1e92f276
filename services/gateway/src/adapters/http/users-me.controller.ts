import { Body, Controller, Get, NotFoundException, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, CurrentScope } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import type { QueryScope } from '../../auth/scope.js';
import { UserAccounts } from '../../auth/user-accounts.js';
import { UserDirectoryFollower } from '../../auth/user-directory.follower.js';
import { toUserView, type UserView } from '../../auth/user.views.js';
import {
  defaultSettingsFor,
  effectiveSettings,
  type UserSettings,
} from '../../domain/user-settings.js';
import { actorOf, answering } from './admin-users.controller.js';
import { UserResponse } from './admin-users.dto.js';
import { UserSettingsBody, UserSettingsResponse } from './user-settings.dto.js';
import { DtoPipe } from './validation/dto.pipe.js';
import type { RequestWithHeaders } from './request-headers.js';

class AccessResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Only jobs of this Slurm user are visible; null: every user’s jobs.',
  })
  jobsOfUser!: string | null;
  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'Only these clusters are visible; null: every cluster.',
  })
  clusters!: string[] | null;
}

class MeResponse extends UserResponse {
  @ApiProperty({ description: 'The key this request was made with.' }) currentKeyId!: string;
  @ApiProperty({ type: AccessResponse }) access!: AccessResponse;
}

const defaultsOf = (request: RequestWithHeaders): UserSettings => {
  const header = request.headers['accept-language'];
  return defaultSettingsFor(Array.isArray(header) ? header.join(',') : header);
};

/**
 * Any caller: who the API takes them for, their keys (never hashes) and what they may see; and
 * their own dashboard settings, kept as UserSettingsChanged events in their stream.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersMeController {
  constructor(
    private readonly follower: UserDirectoryFollower,
    private readonly accounts: UserAccounts,
  ) {}

  @Get('me')
  @ApiOkResponse({ type: MeResponse })
  me(
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ): UserView & { currentKeyId: string; access: AccessResponse } {
    const user = this.follower.directory.user(principal.userId);
    // Authenticated a moment ago from the same directory: absent only if the store was swapped.
    if (!user) throw new NotFoundException(`no user ${principal.userId}`);
    return {
      ...toUserView(user),
      currentKeyId: principal.keyId,
      access: { jobsOfUser: scope.onlyUser ?? null, clusters: scope.onlyClusters ?? null },
    };
  }

  @Get('me/settings')
  @ApiOperation({
    summary:
      'The caller’s dashboard settings (defaults for those never set; the language from Accept-Language)',
  })
  @ApiOkResponse({ type: UserSettingsResponse })
  settings(
    @CurrentPrincipal() principal: Principal,
    @Req() request: RequestWithHeaders,
  ): UserSettings {
    const user = this.follower.directory.user(principal.userId);
    if (!user) throw new NotFoundException(`no user ${principal.userId}`);
    return effectiveSettings(user.settings, defaultsOf(request));
  }

  @Put('me/settings')
  @ApiOperation({
    summary: 'Changes some of the caller’s dashboard settings; answers all of them',
  })
  @ApiOkResponse({ type: UserSettingsResponse })
  @ApiBadRequestResponse({ description: 'A value not allowed, or an unknown setting (named).' })
  async changeSettings(
    @CurrentPrincipal() principal: Principal,
    @Body(DtoPipe) body: UserSettingsBody,
    @Req() request: RequestWithHeaders,
  ): Promise<UserSettings> {
    const user = await answering(() =>
      this.accounts.changeSettings(principal.userId, body, actorOf(principal, request)),
    );
    return effectiveSettings(user.settings, defaultsOf(request));
  }
}

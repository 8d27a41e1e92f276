import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentScope } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import type { QueryScope } from '../../auth/scope.js';
import { UserDirectoryFollower } from '../../auth/user-directory.follower.js';
import { toUserView, type UserView } from '../../auth/user.views.js';
import { UserResponse } from './admin-users.dto.js';

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

/** Any caller: who the API takes them for, their keys (never hashes) and what they may see. */
@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersMeController {
  constructor(private readonly follower: UserDirectoryFollower) {}

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
}

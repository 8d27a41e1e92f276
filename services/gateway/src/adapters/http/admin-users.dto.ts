import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { USER_ROLES, UserRole } from '@clocktower/contracts';

/** What a Slurm login may look like (the `user` of a job), as the user events require. */
const SLURM_USER = /^[A-Za-z0-9._-]+$/;
/** Cluster names as the collector accepts them. */
const CLUSTER = /^[a-z0-9][a-z0-9_.]*$/;

const clustersDoc: ApiPropertyOptions = {
  type: [String],
  nullable: true,
  example: ['lab'],
  description: 'Clusters the user may see; null or absent: every cluster.',
};

export class CreateUserBody {
  @ApiProperty({ example: 'ada@example.org' })
  @IsEmail({ require_tld: false }, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ example: 'Ada Lovelace', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ enum: USER_ROLES, default: UserRole.User })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiProperty({
    example: 'ada',
    description: 'Their login on the clusters: the user of their jobs.',
  })
  @IsString()
  @Matches(SLURM_USER, { message: 'slurmUser must be a login name (letters, digits, . _ -)' })
  slurmUser!: string;

  @ApiPropertyOptional(clustersDoc)
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(CLUSTER, { each: true, message: 'each of clusters must be a cluster name' })
  clusters?: string[] | null;
}

export class UpdateUserBody {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ example: 'ada' })
  @IsOptional()
  @IsString()
  @Matches(SLURM_USER, { message: 'slurmUser must be a login name (letters, digits, . _ -)' })
  slurmUser?: string;

  @ApiPropertyOptional(clustersDoc)
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(CLUSTER, { each: true, message: 'each of clusters must be a cluster name' })
  clusters?: string[] | null;
}

export class CreateApiKeyBody {
  @ApiPropertyOptional({ example: 'laptop', maxLength: 200, description: 'What the key is for.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  label?: string;
}

export class UserIdParams {
  @IsString() @Matches(/^[0-9a-f]{24}$/, { message: 'userId must be a user id' }) userId!: string;
}

export class ApiKeyParams extends UserIdParams {
  @IsString() @Matches(/^[A-Za-z0-9]+$/, { message: 'keyId must be an API key id' }) keyId!: string;
}

export class ApiKeyResponse {
  @ApiProperty() keyId!: string;
  @ApiProperty() label!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
}

export class UserResponse {
  @ApiProperty() userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty() slurmUser!: string;
  @ApiProperty(clustersDoc) clusters!: string[] | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ type: [ApiKeyResponse] }) keys!: ApiKeyResponse[];
}

export class UserListResponse {
  @ApiProperty({ type: [UserResponse] }) items!: UserResponse[];
  @ApiProperty() total!: number;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty() userId!: string;
  @ApiProperty({
    example: 'ct_AbCdEf123456_…',
    description:
      'The key itself: shown this once, never again. Send it as "Authorization: Bearer <key>".',
  })
  key!: string;
}

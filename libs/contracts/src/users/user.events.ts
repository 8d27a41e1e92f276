import {
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { MessageKind } from '../messages/message-class.js';

/**
 * Users and their API keys, kept as events in `user-<userId>` streams: who created or revoked which
 * key, and when, is history like any other. A key's secret is never stored, only its SHA-256.
 */
export const UserRole = { Admin: 'admin', User: 'user' } as const;
export type UserRole = (typeof UserRole)[keyof typeof UserRole];
export const USER_ROLES = Object.values(UserRole);

const event = { kind: MessageKind.Event, schemaVersion: 1 } as const;

/** `createdBy`/`updatedBy`/`revokedBy`: the acting user's id, `cli:<unix user>` or `bootstrap`. */
export class UserCreated {
  static readonly type = 'UserCreated';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() userId!: string;
  @IsEmail({ require_tld: false }) email!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsIn(USER_ROLES) role!: UserRole;
  /** The user's login on the clusters: the `user` of their Slurm jobs. */
  @IsString() @Matches(/^[A-Za-z0-9._-]+$/) slurmUser!: string;
  /** Clusters the user may see; null: every cluster. */
  @IsOptional() @IsArray() @IsString({ each: true }) clusters!: string[] | null;
  @IsString() @IsNotEmpty() createdBy!: string;
}

/** Some of name, role, slurmUser, clusters changed (only those present). */
export class UserUpdated {
  static readonly type = 'UserUpdated';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() userId!: string;
  @IsOptional() @IsString() @MaxLength(200) name?: string;
  @IsOptional() @IsIn(USER_ROLES) role?: UserRole;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9._-]+$/) slurmUser?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) clusters?: string[] | null;
  @IsString() @IsNotEmpty() updatedBy!: string;
}

export class ApiKeyCreated {
  static readonly type = 'ApiKeyCreated';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() userId!: string;
  /** The public part of the key (`ct_<keyId>_<secret>`), by which it is looked up. */
  @IsString() @Matches(/^[A-Za-z0-9]+$/) keyId!: string;
  /** SHA-256 of the whole key, hex. */
  @IsString() @Matches(/^[0-9a-f]{64}$/) sha256!: string;
  @IsString() @MaxLength(200) label!: string;
  @IsString() @IsNotEmpty() createdBy!: string;
}

export class ApiKeyRevoked {
  static readonly type = 'ApiKeyRevoked';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() userId!: string;
  @IsString() @Matches(/^[A-Za-z0-9]+$/) keyId!: string;
  @IsString() @IsNotEmpty() revokedBy!: string;
}

/** The dashboard's preferences of a user: the values each may take (defaults: the gateway's). */
export const ITEMS_PER_PAGE_CHOICES = [25, 50, 100, 200] as const;
export const DATE_FORMATS = ['iso', 'local', 'relative'] as const;
export const THEMES = ['light', 'dark', 'system'] as const;
export const LANGUAGES = ['en', 'fr'] as const;

/** Some of the user's dashboard settings changed (only those present), by the user themself. */
export class UserSettingsChanged {
  static readonly type = 'UserSettingsChanged';
  static readonly schemaVersion = event.schemaVersion;
  static readonly kind = event.kind;

  @IsString() @IsNotEmpty() userId!: string;
  @IsOptional()
  @IsIn(ITEMS_PER_PAGE_CHOICES)
  itemsPerPage?: (typeof ITEMS_PER_PAGE_CHOICES)[number];
  @IsOptional() @IsIn(DATE_FORMATS) dateFormat?: (typeof DATE_FORMATS)[number];
  @IsOptional() @IsIn(THEMES) theme?: (typeof THEMES)[number];
  @IsOptional() @IsIn(LANGUAGES) language?: (typeof LANGUAGES)[number];
  @IsString() @IsNotEmpty() changedBy!: string;
}

export const USER_EVENTS = [
  UserCreated,
  UserUpdated,
  ApiKeyCreated,
  ApiKeyRevoked,
  UserSettingsChanged,
] as const;

import type { UserRole } from '@clocktower/contracts';
import type { ApiKeyState, UserState } from '../domain/user.decider.js';

/** An API key as the API shows it: never its hash, let alone the key. */
export interface ApiKeyView {
  readonly keyId: string;
  readonly label: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export interface UserView {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly slurmUser: string;
  /** null: every cluster. */
  readonly clusters: readonly string[] | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly keys: readonly ApiKeyView[];
}

export function toApiKeyView(key: ApiKeyState): ApiKeyView {
  return {
    keyId: key.keyId,
    label: key.label,
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    revokedAt: key.revokedAt,
    revokedBy: key.revokedBy,
  };
}

export function toUserView(user: UserState): UserView {
  return {
    userId: user.userId,
    email: user.email,
    name: user.name,
    role: user.role,
    slurmUser: user.slurmUser,
    clusters: user.clusters,
    createdAt: user.createdAt,
    createdBy: user.createdBy,
    updatedAt: user.updatedAt,
    keys: user.keys.map(toApiKeyView),
  };
}

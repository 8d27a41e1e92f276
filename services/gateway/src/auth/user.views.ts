import type { ApiKeyState, UserState } from '../domain/user.decider.js';

/**
 * An API key as the API shows it: never its hash, let alone the key. The mappers below copy fields
 * one by one on purpose: an allow-list, so a field added to the state never leaks by default.
 */
export type ApiKeyView = Omit<ApiKeyState, 'sha256' | 'userId'>;

export type UserView = Omit<UserState, 'keys'> & { readonly keys: readonly ApiKeyView[] };

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

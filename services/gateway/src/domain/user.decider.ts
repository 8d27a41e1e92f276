import { UserRole } from '@clocktower/contracts';
import type {
  ApiKeyCreated,
  ApiKeyRevoked,
  UserCreated,
  UserSettingsChanged,
  UserUpdated,
} from '@clocktower/contracts';
import {
  ApiKeyAlreadyRevokedError,
  DuplicateApiKeyError,
  DuplicateEmailError,
  LastAdminError,
  UnknownApiKeyError,
  UnknownUserError,
} from './user.errors.js';
import { changedSettings, withSettings, type UserSettingsChanges } from './user-settings.js';

/**
 * One user's stream (`user-<userId>`) as a decider: `decide` turns a command and the user's
 * current state into events (or throws a UserRuleError), `evolve` folds an event into the state.
 * Pure: no store, no clock (an event's time comes with it), no randomness (key ids and hashes
 * arrive in the command).
 */

/** Plain event data, as the contracts declare it; the adapter wraps them in envelopes. */
export type UserEvent =
  | { readonly type: 'UserCreated'; readonly data: UserCreated }
  | { readonly type: 'UserUpdated'; readonly data: UserUpdated }
  | { readonly type: 'ApiKeyCreated'; readonly data: ApiKeyCreated }
  | { readonly type: 'ApiKeyRevoked'; readonly data: ApiKeyRevoked }
  | { readonly type: 'UserSettingsChanged'; readonly data: UserSettingsChanged };

export interface ApiKeyState {
  readonly keyId: string;
  readonly userId: string;
  /** SHA-256 of the whole key, hex: what a presented key is compared against. */
  readonly sha256: string;
  readonly label: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export interface UserState {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly slurmUser: string;
  readonly clusters: readonly string[] | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  /** In the order they were created. */
  readonly keys: readonly ApiKeyState[];
  /** The dashboard settings the user chose (absent: never chose any; defaults apply). */
  readonly settings?: UserSettingsChanges;
}

export interface UserChanges {
  readonly name?: string;
  readonly role?: UserRole;
  readonly slurmUser?: string;
  readonly clusters?: readonly string[] | null;
}

export type UserCommand =
  | {
      readonly type: 'CreateUser';
      readonly data: {
        readonly userId: string;
        readonly email: string;
        readonly name: string;
        readonly role: UserRole;
        readonly slurmUser: string;
        readonly clusters: readonly string[] | null;
        readonly by: string;
      };
    }
  | {
      readonly type: 'UpdateUser';
      readonly data: {
        readonly userId: string;
        readonly changes: UserChanges;
        readonly by: string;
        /**
         * How many admins there are besides this user (from the user directory). Another stream's
         * fact, so two admins demoting each other at the same instant can both pass: accepted,
         * as the CLI can always promote someone again.
         */
        readonly otherAdmins: number;
      };
    }
  | {
      readonly type: 'CreateApiKey';
      readonly data: {
        readonly userId: string;
        readonly keyId: string;
        readonly sha256: string;
        readonly label: string;
        readonly by: string;
      };
    }
  | {
      readonly type: 'RevokeApiKey';
      readonly data: { readonly userId: string; readonly keyId: string; readonly by: string };
    }
  | {
      readonly type: 'ChangeSettings';
      readonly data: {
        readonly userId: string;
        readonly changes: UserSettingsChanges;
        readonly by: string;
      };
    };

export type UserStateOrNone = UserState | undefined;

export const initialUserState = (): UserStateOrNone => undefined;

export function decideUser(command: UserCommand, state: UserStateOrNone): UserEvent[] {
  switch (command.type) {
    case 'CreateUser': {
      const { by, clusters, ...user } = command.data;
      if (state) throw new DuplicateEmailError(state.email);
      return [
        {
          type: 'UserCreated',
          data: { ...user, clusters: clusters ? [...clusters] : null, createdBy: by },
        },
      ];
    }
    case 'UpdateUser': {
      const { userId, changes, by, otherAdmins } = command.data;
      const user = existing(state, userId);
      const changed = changedFields(user, changes);
      if (Object.keys(changed).length === 0) return [];
      if (
        changed.role !== undefined &&
        user.role === UserRole.Admin &&
        changed.role !== UserRole.Admin &&
        otherAdmins === 0
      ) {
        throw new LastAdminError(userId);
      }
      return [{ type: 'UserUpdated', data: { userId, ...changed, updatedBy: by } }];
    }
    case 'CreateApiKey': {
      const { by, ...key } = command.data;
      const user = existing(state, key.userId);
      if (user.keys.some((k) => k.keyId === key.keyId)) throw new DuplicateApiKeyError(key.keyId);
      return [{ type: 'ApiKeyCreated', data: { ...key, createdBy: by } }];
    }
    case 'RevokeApiKey': {
      const { userId, keyId, by } = command.data;
      const user = existing(state, userId);
      const key = user.keys.find((k) => k.keyId === keyId);
      if (!key) throw new UnknownApiKeyError(keyId);
      if (key.revokedAt !== null) throw new ApiKeyAlreadyRevokedError(keyId);
      return [{ type: 'ApiKeyRevoked', data: { userId, keyId, revokedBy: by } }];
    }
    case 'ChangeSettings': {
      const { userId, changes, by } = command.data;
      const changed = changedSettings(existing(state, userId).settings, changes);
      if (Object.keys(changed).length === 0) return [];
      return [{ type: 'UserSettingsChanged', data: { userId, ...changed, changedBy: by } }];
    }
  }
}

/** Folds one event; `occurredAt` is the event's envelope time (the state's timestamps). */
export function evolveUser(
  state: UserStateOrNone,
  event: UserEvent & { readonly occurredAt: string },
): UserStateOrNone {
  const at = event.occurredAt;
  switch (event.type) {
    case 'UserCreated': {
      const d = event.data;
      return {
        userId: d.userId,
        email: d.email,
        name: d.name,
        role: d.role,
        slurmUser: d.slurmUser,
        clusters: d.clusters ?? null,
        createdAt: at,
        createdBy: d.createdBy,
        updatedAt: at,
        keys: [],
      };
    }
    case 'UserUpdated': {
      if (!state) return state;
      const d = event.data;
      return {
        ...state,
        ...(d.name !== undefined ? { name: d.name } : {}),
        ...(d.role !== undefined ? { role: d.role } : {}),
        ...(d.slurmUser !== undefined ? { slurmUser: d.slurmUser } : {}),
        ...(d.clusters !== undefined ? { clusters: d.clusters } : {}),
        updatedAt: at,
      };
    }
    case 'ApiKeyCreated': {
      if (!state) return state;
      const d = event.data;
      const key: ApiKeyState = {
        keyId: d.keyId,
        userId: d.userId,
        sha256: d.sha256,
        label: d.label,
        createdAt: at,
        createdBy: d.createdBy,
        revokedAt: null,
        revokedBy: null,
      };
      return { ...state, keys: [...state.keys, key] };
    }
    case 'ApiKeyRevoked': {
      if (!state) return state;
      const d = event.data;
      return {
        ...state,
        keys: state.keys.map((k) =>
          k.keyId === d.keyId && k.revokedAt === null
            ? { ...k, revokedAt: at, revokedBy: d.revokedBy }
            : k,
        ),
      };
    }
    case 'UserSettingsChanged': {
      if (!state) return state;
      const { userId: _userId, changedBy: _by, ...changes } = event.data;
      return { ...state, settings: withSettings(state.settings, changes) };
    }
  }
}

function existing(state: UserStateOrNone, userId: string): UserState {
  if (!state) throw new UnknownUserError(userId);
  return state;
}

/** Only what really differs: an update that changes nothing records nothing. */
function changedFields(
  user: UserState,
  changes: UserChanges,
): Omit<UserUpdated, 'userId' | 'updatedBy'> {
  const out: { name?: string; role?: UserRole; slurmUser?: string; clusters?: string[] | null } =
    {};
  if (changes.name !== undefined && changes.name !== user.name) out.name = changes.name;
  if (changes.role !== undefined && changes.role !== user.role) out.role = changes.role;
  if (changes.slurmUser !== undefined && changes.slurmUser !== user.slurmUser) {
    out.slurmUser = changes.slurmUser;
  }
  if (changes.clusters !== undefined && !sameClusters(changes.clusters, user.clusters)) {
    out.clusters = changes.clusters ? [...changes.clusters] : null;
  }
  return out;
}

function sameClusters(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.length === sb.length && sa.every((c, i) => c === sb[i]);
}

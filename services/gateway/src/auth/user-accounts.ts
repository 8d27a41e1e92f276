import type { UserRole } from '@clocktower/contracts';
import { WrongExpectedRevisionError, type EventStore } from '@clocktower/event-store';
import {
  decideUser,
  evolveUser,
  initialUserState,
  type ApiKeyState,
  type UserChanges,
  type UserCommand,
  type UserState,
  type UserStateOrNone,
} from '../domain/user.decider.js';
import { UnknownUserError, UserWriteConflictError } from '../domain/user.errors.js';
import { normalizeEmail, userIdOf } from '../domain/user-identity.js';
import type { UserSettingsChanges } from '../domain/user-settings.js';
import { generateApiKey, type NewApiKey } from './api-key.js';
import type { UserDirectory } from './user-directory.js';
import { toMessages, toUserEvent, userStream } from './user-events.js';

/** Who acts, for the events' `createdBy`/`updatedBy`/`revokedBy`, and the chain they belong to. */
export interface Actor {
  /** A user id, `cli:<unix user>` or `bootstrap`. */
  readonly by: string;
  readonly correlationId: string;
}

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly role: UserRole;
  readonly slurmUser: string;
  readonly clusters: readonly string[] | null;
}

export interface CreatedApiKey {
  readonly key: string;
  readonly state: ApiKeyState;
}

export interface UserAccountsOptions {
  /** Awaited after each write, so the caller's next request sees it (the gateway's directory). */
  readonly afterWrite?: (position: bigint) => Promise<void>;
}

/** Conflicting appends are re-read and decided again this many times before giving up. */
export const MAX_WRITE_ATTEMPTS = 5;

/**
 * The user commands, run against the store: read the user's stream, decide, append expecting the
 * revision that was read; a concurrent writer makes the append fail and the whole thing is tried
 * again on fresh state, never forced. Used by the admin API, the CLI and the bootstrap alike.
 */
export class UserAccounts {
  constructor(
    private readonly store: EventStore,
    /** For facts beyond one user's stream: how many admins there are, who owns a key id. */
    private readonly directory: UserDirectory,
    private readonly options: UserAccountsOptions = {},
  ) {}

  createUser(user: NewUser, actor: Actor): Promise<UserState> {
    const email = normalizeEmail(user.email);
    const userId = userIdOf(email);
    return this.execute(userId, actor, () => ({
      type: 'CreateUser',
      data: { ...user, email, userId, by: actor.by },
    }));
  }

  updateUser(userId: string, changes: UserChanges, actor: Actor): Promise<UserState> {
    return this.execute(userId, actor, () => ({
      type: 'UpdateUser',
      data: { userId, changes, by: actor.by, otherAdmins: this.directory.otherAdmins(userId) },
    }));
  }

  /** A new key for the user; `key` is its only appearance, for the caller to hand over once. */
  async createApiKey(
    userId: string,
    label: string,
    actor: Actor,
    key: NewApiKey = generateApiKey(),
  ): Promise<CreatedApiKey> {
    const state = await this.execute(userId, actor, () => ({
      type: 'CreateApiKey',
      data: { userId, keyId: key.keyId, sha256: key.sha256, label, by: actor.by },
    }));
    return { key: key.key, state: state.keys.find((k) => k.keyId === key.keyId)! };
  }

  async revokeApiKey(userId: string, keyId: string, actor: Actor): Promise<ApiKeyState> {
    const state = await this.execute(userId, actor, () => ({
      type: 'RevokeApiKey',
      data: { userId, keyId, by: actor.by },
    }));
    return state.keys.find((k) => k.keyId === keyId)!;
  }

  /** The user's own dashboard settings: only what differs from their current ones is recorded. */
  changeSettings(userId: string, changes: UserSettingsChanges, actor: Actor): Promise<UserState> {
    return this.execute(userId, actor, () => ({
      type: 'ChangeSettings',
      data: { userId, changes, by: actor.by },
    }));
  }

  /** The user as the store has it now (not the directory's possibly lagging copy). */
  async read(userId: string): Promise<{ state: UserStateOrNone; revision: number | undefined }> {
    let state = initialUserState();
    let revision: number | undefined;
    for await (const recorded of this.store.readStream(userStream(userId))) {
      state = evolveUser(state, toUserEvent(recorded));
      revision = recorded.revision;
    }
    return { state, revision };
  }

  private async execute(
    userId: string,
    actor: Actor,
    command: () => UserCommand,
  ): Promise<UserState> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.read(userId);
      const events = decideUser(command(), state);
      if (events.length === 0) return existing(state, userId);
      try {
        const result = await this.store.append(
          userStream(userId),
          toMessages(events, actor.correlationId),
          { expectedRevision: revision ?? 'no_stream' },
        );
        await this.options.afterWrite?.(result.position);
        // Read back rather than folded here: the state then carries the times the store recorded.
        return existing((await this.read(userId)).state, userId);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_WRITE_ATTEMPTS) {
          throw new UserWriteConflictError(userId, attempt, { cause: error });
        }
      }
    }
  }
}

function existing(state: UserStateOrNone, userId: string): UserState {
  if (!state) throw new UnknownUserError(userId);
  return state;
}

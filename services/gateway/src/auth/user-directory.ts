import { StreamCategory, UserRole } from '@clocktower/contracts';
import type { EventStore, RecordedEvent } from '@clocktower/event-store';
import { evolveUser, type ApiKeyState, type UserState } from '../domain/user.decider.js';
import { normalizeEmail, userIdOf } from '../domain/user-identity.js';
import { apiKeyMatches, keyIdOf } from './api-key.js';
import type { Principal } from './principal.js';
import { toUserEvent } from './user-events.js';

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown' | 'revoked' };

/** Told about an event the directory could not use; the directory itself never throws on one. */
export type SkippedEventListener = (event: RecordedEvent, reason: string) => void;

/**
 * Every user and API key, folded from the `user` category: what the gateway authenticates against
 * and what the admin API lists. A read model: an event it cannot parse is reported and skipped,
 * never thrown, so one bad event cannot lock everyone out.
 */
export class UserDirectory {
  private readonly byId = new Map<string, UserState>();
  /** keyId → userId: a key is looked up by its public part, then its hash is compared. */
  private readonly keyOwners = new Map<string, string>();
  private lastPosition = 0n;

  constructor(private readonly onSkipped: SkippedEventListener = () => undefined) {}

  /** Folds the whole `user` category once: the CLI's view, and the bootstrap's. */
  static async load(store: EventStore, onSkipped?: SkippedEventListener): Promise<UserDirectory> {
    const directory = new UserDirectory(onSkipped);
    for await (const event of store.readAll({ category: StreamCategory.User })) {
      directory.apply(event);
    }
    return directory;
  }

  get position(): bigint {
    return this.lastPosition;
  }

  apply(recorded: RecordedEvent): void {
    if (recorded.position > this.lastPosition) this.lastPosition = recorded.position;
    let event;
    try {
      event = toUserEvent(recorded);
    } catch (error) {
      this.onSkipped(recorded, error instanceof Error ? error.message : String(error));
      return;
    }
    const userId = event.data.userId;
    const next = evolveUser(this.byId.get(userId), event);
    if (!next) {
      this.onSkipped(recorded, `${event.type} for user ${userId}, who was never created`);
      return;
    }
    this.byId.set(userId, next);
    if (event.type === 'ApiKeyCreated') this.keyOwners.set(event.data.keyId, userId);
  }

  users(): UserState[] {
    return [...this.byId.values()].sort((a, b) => a.email.localeCompare(b.email));
  }

  user(userId: string): UserState | undefined {
    return this.byId.get(userId);
  }

  userByEmail(email: string): UserState | undefined {
    const user = this.byId.get(userIdOf(email));
    return user?.email === normalizeEmail(email) ? user : undefined;
  }

  keyById(keyId: string): ApiKeyState | undefined {
    const owner = this.keyOwners.get(keyId);
    return owner === undefined
      ? undefined
      : this.byId.get(owner)?.keys.find((k) => k.keyId === keyId);
  }

  /** Admins other than `userId`: whether demoting `userId` would leave nobody to manage users. */
  otherAdmins(userId: string): number {
    let count = 0;
    for (const user of this.byId.values()) {
      if (user.role === UserRole.Admin && user.userId !== userId) count++;
    }
    return count;
  }

  hasAdmin(): boolean {
    return this.otherAdmins('') > 0;
  }

  counts(): { users: number; activeKeys: number } {
    let activeKeys = 0;
    for (const user of this.byId.values()) {
      activeKeys += user.keys.filter((k) => k.revokedAt === null).length;
    }
    return { users: this.byId.size, activeKeys };
  }

  /**
   * Who holds `key`. A wrong secret for an existing key id reads as "unknown", like an unknown id:
   * only the holder of the real key learns that it was revoked.
   */
  authenticate(key: string): Authentication {
    const keyId = keyIdOf(key);
    if (keyId === undefined) return { ok: false, reason: 'malformed' };
    const stored = this.keyById(keyId);
    if (!stored || !apiKeyMatches(key, stored.sha256)) return { ok: false, reason: 'unknown' };
    if (stored.revokedAt !== null) return { ok: false, reason: 'revoked' };
    const user = this.byId.get(stored.userId)!;
    return {
      ok: true,
      principal: {
        userId: user.userId,
        email: user.email,
        name: user.name,
        role: user.role,
        slurmUser: user.slurmUser,
        clusters: user.clusters,
        keyId,
      },
    };
  }
}

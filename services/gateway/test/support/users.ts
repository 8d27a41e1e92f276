import { UserRole } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import { until } from '@clocktower/testing';
import { UserAccounts } from '../../src/auth/user-accounts.js';
import { UserDirectory } from '../../src/auth/user-directory.js';

export interface TestUser {
  readonly email: string;
  readonly name?: string;
  readonly role?: UserRole;
  /** Default: the email's local part. */
  readonly slurmUser?: string;
  /** Default: every cluster. */
  readonly clusters?: readonly string[] | null;
}

export interface TestUserKey {
  readonly userId: string;
  readonly keyId: string;
  /** The API key: send it as `Authorization: Bearer <key>`. */
  readonly key: string;
}

/**
 * A user (created unless one with that email exists) and a fresh API key, appended to the store
 * as the admin API would (events by `test`). A gateway on the same store instance sees them at
 * once; one in another process within the store's poll: use `untilKeyWorks` before relying on it.
 */
export async function createUserWithKey(store: EventStore, user: TestUser): Promise<TestUserKey> {
  const directory = await UserDirectory.load(store);
  const accounts = new UserAccounts(store, directory);
  const actor = { by: 'test', correlationId: `test-${user.email}` };
  const existing = directory.userByEmail(user.email);
  const state =
    existing ??
    (await accounts.createUser(
      {
        email: user.email,
        name: user.name ?? user.email.split('@')[0]!,
        role: user.role ?? UserRole.User,
        slurmUser: user.slurmUser ?? user.email.split('@')[0]!,
        clusters: user.clusters ?? null,
      },
      actor,
    ));
  const { key, state: keyState } = await accounts.createApiKey(state.userId, 'test', actor);
  return { userId: state.userId, keyId: keyState.keyId, key };
}

/** Headers that authenticate as the holder of `key`. */
export function bearer(key: string): { authorization: string } {
  return { authorization: `Bearer ${key}` };
}

/** Polls GET /api/v1/users/me with `key` until the gateway at `baseUrl` accepts it. */
export async function untilKeyWorks(
  baseUrl: string,
  key: string,
  timeoutMs = 10_000,
): Promise<void> {
  await until(
    'the gateway to accept the API key',
    async () =>
      (await fetch(`${baseUrl}/api/v1/users/me`, { headers: bearer(key) })).status === 200,
    timeoutMs,
    20,
  );
}

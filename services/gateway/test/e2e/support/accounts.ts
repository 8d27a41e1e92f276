import { UserRole } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import { createUserWithKey, type TestUser } from '../../support/users.js';

/** Creates the users in the store, each with one API key; returns the keys by email. */
export async function createUsers(
  store: EventStore,
  users: readonly TestUser[],
): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (const user of users) keys[user.email] = (await createUserWithKey(store, user)).key;
  return keys;
}

export const ADMIN = {
  email: 'admin@e2e.test',
  slurmUser: 'root',
  role: UserRole.Admin,
} as const satisfies TestUser;
export const ALICE = {
  email: 'alice@e2e.test',
  slurmUser: 'alice',
  role: UserRole.User,
} as const satisfies TestUser;
export const BOB = {
  email: 'bob@e2e.test',
  slurmUser: 'bob',
  role: UserRole.User,
} as const satisfies TestUser;
/** Bob again, but limited to the aux cluster: the per-cluster rule. */
export const BOB_AUX = {
  email: 'bob.aux@e2e.test',
  slurmUser: 'bob',
  role: UserRole.User,
  clusters: ['aux'],
} as const satisfies TestUser;

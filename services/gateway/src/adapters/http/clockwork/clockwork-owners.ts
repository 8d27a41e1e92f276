import type { UserState } from '../../../domain/user.decider.js';

type Account = Pick<UserState, 'email' | 'slurmUser' | 'clusters'>;

/**
 * Clockwork names a job's owner by email (`cw.mila_email_username`); Clocktower knows each user's
 * Slurm login. The owner of a job is the user with the job's Slurm login who may see its cluster:
 * one named for that cluster before one allowed every cluster, then by email, so the answer is
 * the same on every request. Null: no Clocktower user has that login.
 */
export function ownerEmails(
  users: readonly Account[],
): (cluster: string, slurmUser: string) => string | null {
  const byLogin = new Map<string, Account[]>();
  for (const user of [...users].sort((a, b) => a.email.localeCompare(b.email))) {
    const list = byLogin.get(user.slurmUser) ?? [];
    list.push(user);
    byLogin.set(user.slurmUser, list);
  }
  return (cluster, slurmUser) => {
    const candidates = byLogin.get(slurmUser) ?? [];
    const named = candidates.find((u) => u.clusters?.includes(cluster));
    return (named ?? candidates.find((u) => u.clusters === null))?.email ?? null;
  };
}

/**
 * Clockwork's `username` filter is an email; the Slurm login of the user with that email is what
 * the projection filters on. Without an `@` it is taken as a Slurm login already (Clockwork's
 * older `user` filter matched cluster logins too). Undefined: no such user, so no job matches.
 */
export function slurmLoginOf(
  username: string,
  userByEmail: (email: string) => Account | undefined,
): string | undefined {
  return username.includes('@') ? userByEmail(username)?.slurmUser : username;
}

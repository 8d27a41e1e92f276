import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { isEmail } from 'class-validator';
import { ConfigError, parseConfig } from '@clocktower/config';
import { USER_ROLES, UserRole, ValidationFailedError } from '@clocktower/contracts';
import { EventStoreError, type EventStore } from '@clocktower/event-store';
import { openEventStore, StoreKind } from '@clocktower/platform';
import type { UserChanges, UserState } from '../domain/user.decider.js';
import { UnknownApiKeyError, UnknownUserError, UserRuleError } from '../domain/user.errors.js';
import { UserAccounts, type Actor } from '../auth/user-accounts.js';
import { UserDirectory } from '../auth/user-directory.js';
import { GatewayConfig } from './config.js';

export const USERS_USAGE = `usage: npm run users -- <command> [options]

  create --email E --name N [--role admin|user] [--slurm-user U] [--clusters a,b]
        a new user (role user by default; slurm user: the email's local part by default;
        every cluster unless --clusters)
  update --email E [--name N] [--role admin|user] [--slurm-user U] [--clusters a,b | --all-clusters]
  list [--json]                       every user
  key create --email E [--label L]    a new API key: printed once, alone, on stdout
  key list --email E [--json]         a user's keys (ids, labels, who made or revoked them)
  key revoke --key-id K               the key stops working within a moment

It opens the event store the services use, configured by the same environment
(CLOCKTOWER_STORE, CLOCKTOWER_DATA, EVENTSTORE_URL), so run it where the gateway runs.`;

export interface CliOutput {
  /** Results: the key, the tables. */
  out(text: string): void;
  /** Messages for the person at the terminal. */
  err(text: string): void;
}

/** A mistake in how the command was called: exit code 2, with the usage. */
class UsageError extends Error {}

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  'slurm-user': { type: 'string' },
  clusters: { type: 'string' },
  'all-clusters': { type: 'boolean' },
  label: { type: 'string' },
  'key-id': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

/** The users CLI; resolves with the process's exit code. */
export async function runUsersCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliOutput,
): Promise<number> {
  let values: Values;
  let command: string;
  try {
    const parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
    values = parsed.values;
    command = parsed.positionals.join(' ');
    if (values.help || command === '' || command === 'help') {
      io.out(USERS_USAGE);
      return 0;
    }
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }

  let config: GatewayConfig;
  try {
    config = parseConfig(GatewayConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`users: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (config.store === StoreKind.Memory) {
    io.err(
      'users: CLOCKTOWER_STORE=memory keeps nothing once this command exits; point CLOCKTOWER_STORE and CLOCKTOWER_DATA at the store the gateway uses',
    );
    return 2;
  }

  let store: EventStore | undefined;
  try {
    store = await openEventStore(config);
    const directory = await UserDirectory.load(store, (event, reason) =>
      io.err(`users: skipped unreadable event ${event.stream}@${event.revision}: ${reason}`),
    );
    const accounts = new UserAccounts(store, directory);
    await run(command, values, { directory, accounts, actor: cliActor(), io });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message);
    if (
      error instanceof UserRuleError ||
      error instanceof ValidationFailedError ||
      error instanceof EventStoreError
    ) {
      io.err(`users: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await store?.close();
  }
}

interface Context {
  readonly directory: UserDirectory;
  readonly accounts: UserAccounts;
  readonly actor: Actor;
  readonly io: CliOutput;
}

async function run(command: string, v: Values, { directory, accounts, actor, io }: Context) {
  switch (command) {
    case 'create': {
      const email = emailOf(v);
      const name = required(v.name, '--name');
      const user = await accounts.createUser(
        {
          email,
          name,
          role: roleOf(v.role) ?? UserRole.User,
          slurmUser: slurmUserOf(v['slurm-user'] ?? email.split('@')[0]!),
          clusters: clustersOf(v),
        },
        actor,
      );
      io.out(`created ${describe(user)}`);
      io.err(`give them an API key with: npm run users -- key create --email ${user.email}`);
      return;
    }
    case 'update': {
      const user = userOf(directory, emailOf(v));
      const role = roleOf(v.role);
      const clusters = v['all-clusters'] || v.clusters !== undefined ? clustersOf(v) : undefined;
      const changes: UserChanges = {
        ...(v.name !== undefined ? { name: v.name } : {}),
        ...(role !== undefined ? { role } : {}),
        ...(v['slurm-user'] !== undefined ? { slurmUser: slurmUserOf(v['slurm-user']) } : {}),
        ...(clusters !== undefined ? { clusters } : {}),
      };
      if (Object.keys(changes).length === 0) {
        throw new UsageError(
          'update needs at least one of --name, --role, --slurm-user, --clusters, --all-clusters',
        );
      }
      io.out(`updated ${describe(await accounts.updateUser(user.userId, changes, actor))}`);
      return;
    }
    case 'list': {
      const users = directory.users();
      if (v.json) return io.out(JSON.stringify(users.map(withoutHashes), null, 2));
      io.out(
        table(
          ['EMAIL', 'NAME', 'ROLE', 'SLURM USER', 'CLUSTERS', 'ACTIVE KEYS', 'USER ID'],
          users.map((u) => [
            u.email,
            u.name,
            u.role,
            u.slurmUser,
            u.clusters?.join(',') ?? 'all',
            String(u.keys.filter((k) => k.revokedAt === null).length),
            u.userId,
          ]),
        ),
      );
      return;
    }
    case 'key create': {
      const user = userOf(directory, emailOf(v));
      const { key, state } = await accounts.createApiKey(user.userId, v.label ?? '', actor);
      // The key alone on stdout, so `… key create --email E > my.key` captures exactly it.
      io.out(key);
      io.err(`API key ${state.keyId} created for ${user.email}: it is shown only this once.`);
      return;
    }
    case 'key list': {
      const user = userOf(directory, emailOf(v));
      if (v.json) return io.out(JSON.stringify(withoutHashes(user).keys, null, 2));
      io.out(
        table(
          ['KEY ID', 'LABEL', 'CREATED', 'CREATED BY', 'STATUS'],
          user.keys.map((k) => [
            k.keyId,
            k.label || '-',
            k.createdAt,
            k.createdBy,
            k.revokedAt === null ? 'active' : `revoked ${k.revokedAt} by ${k.revokedBy ?? '?'}`,
          ]),
        ),
      );
      return;
    }
    case 'key revoke': {
      const keyId = required(v['key-id'], '--key-id');
      const key = directory.keyById(keyId);
      if (!key) throw new UnknownApiKeyError(keyId);
      await accounts.revokeApiKey(key.userId, keyId, actor);
      io.out(`revoked API key ${keyId} of ${directory.user(key.userId)?.email ?? key.userId}`);
      return;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function usage(io: CliOutput, problem: string): number {
  io.err(`users: ${problem}\n\n${USERS_USAGE}`);
  return 2;
}

/** Who ran the command, for `createdBy`/`revokedBy`: the CLI and the Unix account behind it. */
function cliActor(): Actor {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    // No passwd entry (some containers): the event still says it came from the CLI.
  }
  return { by: `cli:${who}`, correlationId: randomUUID() };
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value.trim();
}

function emailOf(v: Values): string {
  const email = required(v.email, '--email');
  if (!isEmail(email, { require_tld: false })) {
    throw new UsageError(`--email ${JSON.stringify(email)} is not an email address`);
  }
  return email;
}

function roleOf(role: string | undefined): UserRole | undefined {
  if (role === undefined) return undefined;
  if (!(USER_ROLES as readonly string[]).includes(role)) {
    throw new UsageError(
      `--role must be one of ${USER_ROLES.join(', ')} (got ${JSON.stringify(role)})`,
    );
  }
  return role as UserRole;
}

function slurmUserOf(login: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(login)) {
    throw new UsageError(
      `--slurm-user ${JSON.stringify(login)} must be a login name (letters, digits, . _ -)`,
    );
  }
  return login;
}

function clustersOf(v: Values): string[] | null {
  if (v['all-clusters']) {
    if (v.clusters !== undefined)
      throw new UsageError('give --clusters or --all-clusters, not both');
    return null;
  }
  if (v.clusters === undefined) return null;
  const clusters = [...new Set(v.clusters.split(',').map((c) => c.trim()))];
  const bad = clusters.find((c) => !/^[a-z0-9][a-z0-9_.]*$/.test(c));
  if (bad !== undefined)
    throw new UsageError(`--clusters: ${JSON.stringify(bad)} is not a cluster name`);
  return clusters;
}

function userOf(directory: UserDirectory, email: string): UserState {
  const user = directory.userByEmail(email);
  if (!user) throw new UnknownUserError(email);
  return user;
}

function describe(user: UserState): string {
  return `${user.email} (${user.name}; role ${user.role}; slurm user ${user.slurmUser}; clusters ${user.clusters?.join(',') ?? 'all'}; id ${user.userId})`;
}

function withoutHashes(user: UserState) {
  return { ...user, keys: user.keys.map(({ sha256: _hash, ...key }) => key) };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

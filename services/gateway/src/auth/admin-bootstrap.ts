import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserRole } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import { DuplicateEmailError } from '../domain/user.errors.js';
import { normalizeEmail } from '../domain/user-identity.js';
import { generateApiKey } from './api-key.js';
import { UserAccounts } from './user-accounts.js';
import { UserDirectory } from './user-directory.js';

export const ADMIN_KEY_FILE_NAME = 'admin.key';
export const BOOTSTRAP_ACTOR = 'bootstrap';

export function adminKeyFile(dataDir: string): string {
  return resolve(join(dataDir, ADMIN_KEY_FILE_NAME));
}

export type AdminBootstrapOutcome =
  | {
      readonly kind: 'created';
      readonly email: string;
      readonly keyId: string;
      readonly keyFile: string;
    }
  | { readonly kind: 'admin-exists'; readonly keyFile: string; readonly keyFilePresent: boolean }
  | { readonly kind: 'refused'; readonly keyFile: string; readonly reason: string };

export interface AdminBootstrapOptions {
  readonly dataDir: string;
  readonly email: string;
}

/**
 * First start of a fresh installation: when the store holds no admin, create one (name
 * "Administrator") and an API key, and leave the key in `<data>/admin.key`, readable by the
 * owner only. Every later start finds the admin and does nothing: keys are not piled up, and a
 * deleted admin.key is not silently replaced (the banner says how to make a new key).
 *
 * The file is written first, exclusively (O_EXCL), then the events appended; a failed append
 * removes the file. So a key never exists in the store that nobody holds, two processes starting
 * at once cannot both create an admin, and an admin.key left from an older store is never
 * overwritten: that case is refused with what to do.
 */
export async function bootstrapAdmin(
  store: EventStore,
  options: AdminBootstrapOptions,
): Promise<AdminBootstrapOutcome> {
  const keyFile = adminKeyFile(options.dataDir);
  const directory = await UserDirectory.load(store);
  if (directory.hasAdmin()) {
    return { kind: 'admin-exists', keyFile, keyFilePresent: existsSync(keyFile) };
  }
  const email = normalizeEmail(options.email);
  if (directory.userByEmail(email)) {
    return {
      kind: 'refused',
      keyFile,
      reason: `${email} is a user without the admin role; make it admin with \`npm run users -- update --email ${email} --role admin\``,
    };
  }
  const key = generateApiKey();
  mkdirSync(resolve(options.dataDir), { recursive: true });
  try {
    writeFileSync(keyFile, `${key.key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return {
      kind: 'refused',
      keyFile,
      reason: `${keyFile} exists but the store has no admin (a key from another store?); move it away and restart to create a new admin`,
    };
  }
  // The umask can only take bits away from 0600, but a file system may ignore the mode: set it.
  chmodSync(keyFile, 0o600);
  const accounts = new UserAccounts(store, directory);
  const actor = { by: BOOTSTRAP_ACTOR, correlationId: randomUUID() };
  try {
    const admin = await accounts.createUser(
      {
        email,
        name: 'Administrator',
        role: UserRole.Admin,
        slurmUser: slurmUserFor(email),
        clusters: null,
      },
      actor,
    );
    await accounts.createApiKey(admin.userId, 'created at first start', actor, key);
  } catch (error) {
    unlinkSync(keyFile);
    if (error instanceof DuplicateEmailError) {
      // Another process created this user between our read and our append.
      return { kind: 'admin-exists', keyFile, keyFilePresent: false };
    }
    throw error;
  }
  return { kind: 'created', email, keyId: key.keyId, keyFile };
}

/** The admin's cluster login matters little (admins see every job): the email's local part. */
function slurmUserFor(email: string): string {
  return email.split('@')[0]!.replace(/[^A-Za-z0-9._-]/g, '') || 'admin';
}

export interface AdminAccess {
  readonly hasAdmin: boolean;
  readonly adminEmails: readonly string[];
  readonly keyFile: string;
  readonly keyFilePresent: boolean;
}

/** What a start-up banner tells the person at the terminal about getting in; reads only. */
export async function adminAccess(store: EventStore, dataDir: string): Promise<AdminAccess> {
  const directory = await UserDirectory.load(store);
  const keyFile = adminKeyFile(dataDir);
  const adminEmails = directory
    .users()
    .filter((u) => u.role === UserRole.Admin)
    .map((u) => u.email);
  return {
    hasAdmin: adminEmails.length > 0,
    adminEmails,
    keyFile,
    keyFilePresent: existsSync(keyFile),
  };
}

import { relative } from 'node:path';
import type { AdminAccess } from '@clocktower/gateway';

/**
 * How to get into the API, for the start-up banner: the admin key file's path and a request to
 * try, never the key itself (a banner ends up in terminal scrollback and captured logs).
 */
export function accessLines(url: string, admin: AdminAccess, cwd = process.cwd()): string[] {
  const shown = relative(cwd, admin.keyFile).startsWith('..')
    ? admin.keyFile
    : relative(cwd, admin.keyFile);
  const email = admin.adminEmails[0] ?? 'admin@localhost';
  if (admin.hasAdmin && admin.keyFilePresent) {
    return [
      `  admin API key: ${admin.keyFile} (mode 600; keep it secret)`,
      `  try:           curl -H "Authorization: Bearer $(cat ${shown})" ${url}/api/v1/jobs`,
      `  more users:    npm run users -- create --email ada@example.org --name Ada`,
    ];
  }
  if (admin.hasAdmin) {
    return [
      `  API keys:      no ${shown}; make an admin key with:`,
      `                 (umask 077; npm run -s users -- key create --email ${email} > ${shown})`,
    ];
  }
  return [
    `  API keys:      no admin yet (${shown} is in the way or CLOCKTOWER_BOOTSTRAP_ADMIN is off);`,
    `                 see the warning above, or: npm run users -- create --email ${email} --name Administrator --role admin`,
  ];
}

import { createHash } from 'node:crypto';

/**
 * Emails compare without case: "Ada@Example.org" and "ada@example.org" are one person to every
 * mail system a site is likely to run, so they must not become two users.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A user's id is derived from their (normalized) email. That makes "one user per email" a property
 * of the store itself: creating a user appends to `user-<id>` expecting no stream, so two creators
 * racing on the same email cannot both succeed, with no index to keep and no second stream to
 * claim. Emails cannot change (no event changes one), which is what keeps this sound; were that
 * ever needed, the id would stay the one derived from the first email and uniqueness of the new one
 * would need a claim stream. 96 bits of SHA-256: collisions are not a practical concern.
 */
export function userIdOf(email: string): string {
  return createHash('sha256')
    .update(`clocktower-user\u0000${normalizeEmail(email)}`)
    .digest('hex')
    .slice(0, 24);
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `ct_<keyId>_<secret>`: a recognisable prefix (secret scanners and people can
 * tell what leaked), a public key id to look the key up by (and to name it in logs, lists and
 * revocations), and a secret of 43 base62 characters (256 bits from the system's CSPRNG). Base62
 * keeps the whole key one "word" that a double-click selects and no shell or URL needs to quote.
 *
 * Only SHA-256 of the whole key is stored. A slow password hash (bcrypt, scrypt, argon2) protects
 * low-entropy human passwords against guessing once the hashes leak; a 256-bit random secret
 * cannot be guessed whatever the hash speed, so a fast hash loses nothing and keeps every request's
 * check at microseconds.
 */
export const API_KEY_PREFIX = 'ct';
export const KEY_ID_LENGTH = 12;
export const SECRET_LENGTH = 43;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}_([A-Za-z0-9]{${KEY_ID_LENGTH}})_([A-Za-z0-9]{${SECRET_LENGTH}})$`,
);

export interface NewApiKey {
  readonly keyId: string;
  /** The whole key: shown to its owner once, never stored or logged. */
  readonly key: string;
  readonly sha256: string;
}

/** Uniform base62 characters: bytes of 248 and above are dropped so that `% 62` has no bias. */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export function generateApiKey(): NewApiKey {
  const keyId = randomBase62(KEY_ID_LENGTH);
  const key = `${API_KEY_PREFIX}_${keyId}_${randomBase62(SECRET_LENGTH)}`;
  return { keyId, key, sha256: hashApiKey(key) };
}

/** The key id of a well-formed key; undefined for anything else. */
export function keyIdOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Whether `key` hashes to `storedSha256`. The comparison takes the same time wherever the hashes
 * first differ, so response times tell an attacker nothing about how close a guess came.
 */
export function apiKeyMatches(key: string, storedSha256: string): boolean {
  const presented = createHash('sha256').update(key, 'utf8').digest();
  const stored = Buffer.from(storedSha256, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

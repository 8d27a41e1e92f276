import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SlurmSourceError } from './slurm-source.port.js';

/**
 * The ssh host keys a connection accepts, and nothing else: there is no "accept any key" mode. Pins
 * come from a `known_hosts` file (the lines for this host and port, plain or hashed, `@revoked`
 * honoured; `@cert-authority` lines are not supported and ignored), from public keys written as in
 * known_hosts (`ssh-ed25519 AAAA...`), or from SHA256 fingerprints as `ssh-keygen -l` prints them
 * (`SHA256:...`). A key matches when its wire-format blob equals a pinned blob byte for byte, or its
 * SHA256 fingerprint equals a pinned fingerprint.
 */
export class HostKeyPin {
  private constructor(
    private readonly keys: readonly PinnedKey[],
    private readonly fingerprints: readonly string[],
    private readonly revoked: readonly Buffer[],
  ) {}

  /**
   * @param target host and port as the client dials them: known_hosts names the host `host` on
   *   port 22 and `[host]:port` otherwise.
   */
  static from(options: {
    readonly hostKeys?: readonly string[];
    readonly knownHosts?: string;
    readonly target: { readonly host: string; readonly port: number };
  }): HostKeyPin {
    const keys: PinnedKey[] = [];
    const fingerprints: string[] = [];
    const revoked: Buffer[] = [];
    for (const entry of options.hostKeys ?? []) {
      const text = entry.trim();
      if (/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(text)) fingerprints.push(text.replace(/=$/, ''));
      else keys.push(parsePublicKey(text, 'hostKey'));
    }
    if (options.knownHosts !== undefined) {
      const name = knownHostsName(options.target.host, options.target.port);
      for (const line of parseKnownHosts(options.knownHosts)) {
        if (!hostMatches(line.hostPatterns, name)) continue;
        if (line.marker === '@revoked') revoked.push(line.key.blob);
        else if (line.marker === undefined) keys.push(line.key);
      }
    }
    if (keys.length === 0 && fingerprints.length === 0) {
      const where =
        options.knownHosts === undefined
          ? ''
          : ` (the known_hosts given has no line for ${knownHostsName(options.target.host, options.target.port)})`;
      throw new SlurmSourceError(
        'INVALID_REQUEST',
        `no pinned host key for ${options.target.host}:${options.target.port}${where}: set hostKey to the server's public key ` +
          `(as in known_hosts: "ssh-ed25519 AAAA...") or its SHA256 fingerprint, or knownHostsPath to a file with its line; ` +
          `host key verification cannot be turned off`,
        { field: 'hostKey' },
      );
    }
    return new HostKeyPin(keys, fingerprints, revoked);
  }

  matches(blob: Buffer): boolean {
    if (this.revoked.some((r) => sameBytes(r, blob))) return false;
    if (this.keys.some((k) => sameBytes(k.blob, blob))) return true;
    const fingerprint = sha256Fingerprint(blob);
    return this.fingerprints.some((f) => f === fingerprint);
  }

  /** What is pinned, as fingerprints: for error messages (public values, never secrets). */
  describe(): string {
    return [
      ...this.keys.map((k) => `${k.type} ${sha256Fingerprint(k.blob)}`),
      ...this.fingerprints,
    ].join(', ');
  }

  /**
   * The host key algorithms to offer, so the server presents a key type that is pinned (as OpenSSH
   * does with known_hosts). Undefined when only fingerprints are pinned: their type is unknown.
   */
  hostKeyAlgorithms(): string[] | undefined {
    if (
      this.fingerprints.length > 0 ||
      this.keys.some((k) => HOST_KEY_ALGORITHMS[k.type] === undefined)
    )
      return undefined;
    return [...new Set(this.keys.flatMap((k) => HOST_KEY_ALGORITHMS[k.type] ?? []))];
  }
}

interface PinnedKey {
  readonly type: string;
  readonly blob: Buffer;
}

const HOST_KEY_ALGORITHMS: Readonly<Record<string, readonly string[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** `SHA256:` and the unpadded base64 of the SHA-256 of the key blob, as `ssh-keygen -l` prints it. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `type base64 [comment]`; the blob must be well-formed and name the same type. */
function parsePublicKey(text: string, field: string): PinnedKey {
  const [type, base64] = text.split(/\s+/);
  if (type === undefined || base64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) {
    throw new SlurmSourceError(
      'INVALID_REQUEST',
      `${field} is not a public key like "ssh-ed25519 AAAA..." or a fingerprint like "SHA256:..."`,
      { field },
    );
  }
  const blob = Buffer.from(base64, 'base64');
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (
    length < 0 ||
    4 + length > blob.length ||
    blob.subarray(4, 4 + length).toString('latin1') !== type
  ) {
    throw new SlurmSourceError('INVALID_REQUEST', `${field}: the base64 key is not a ${type} key`, {
      field,
    });
  }
  return { type, blob };
}

interface KnownHostsLine {
  readonly marker: '@revoked' | '@cert-authority' | undefined;
  readonly hostPatterns: string;
  readonly key: PinnedKey;
}

function parseKnownHosts(content: string): KnownHostsLine[] {
  const lines: KnownHostsLine[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker =
      fields[0] === '@revoked' || fields[0] === '@cert-authority' ? fields.shift() : undefined;
    const [hostPatterns, type, base64] = fields;
    if (hostPatterns === undefined || type === undefined || base64 === undefined) continue;
    try {
      lines.push({
        marker: marker as KnownHostsLine['marker'],
        hostPatterns,
        key: parsePublicKey(`${type} ${base64}`, 'knownHosts'),
      });
    } catch {
      // Like OpenSSH: a line that does not parse is skipped, not fatal for the others.
    }
  }
  return lines;
}

export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's rules: comma-separated patterns with `*`/`?`, `!` negates, `|1|salt|hash` is hashed. */
function hostMatches(patterns: string, name: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('|1|')) {
      if (hashedMatches(pattern, name)) matched = true;
      continue;
    }
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (globMatches(glob.toLowerCase(), name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedMatches(pattern: string, name: string): boolean {
  const [, , salt, hash] = pattern.split('|');
  if (salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return sameBytes(expected, actual);
}

function globMatches(glob: string, name: string): boolean {
  const regex = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${regex}$`).test(name);
}

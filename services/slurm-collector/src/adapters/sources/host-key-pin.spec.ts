import { describe, expect, it } from '@jest/globals';
import { createHmac, randomBytes } from 'node:crypto';
import ssh2 from 'ssh2';
import { HostKeyPin, sha256Fingerprint } from './host-key-pin.js';
import { SlurmSourceError } from './slurm-source.port.js';

// A public host key and its fingerprint as `ssh-keygen -l -E sha256` printed it.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOWUJCUHkHtn5paYKlomgyuMNonDVXzqOHQ2mRbUSSY4';
const KEY_SHA256 = 'SHA256:JGbK7QUy5Hvd5MEBM3eJw4ClXREZUS7kr1npdNd3Yf0';
const BLOB = Buffer.from(KEY.split(' ')[1]!, 'base64');
const target = { host: '127.0.0.1', port: 2222 };

function otherKey(type: 'ed25519' | 'ecdsa' = 'ed25519'): { text: string; blob: Buffer } {
  const pair =
    type === 'ecdsa'
      ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 })
      : ssh2.utils.generateKeyPairSync('ed25519');
  const text = pair.public.split(' ').slice(0, 2).join(' ');
  return { text, blob: Buffer.from(text.split(' ')[1]!, 'base64') };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('host key pinning', () => {
  it('computes fingerprints exactly as ssh-keygen prints them', () => {
    expect(sha256Fingerprint(BLOB)).toBe(KEY_SHA256);
  });

  it('accepts the pinned public key and nothing else', () => {
    const pin = HostKeyPin.from({ hostKeys: [KEY], target });
    expect(pin.matches(BLOB)).toBe(true);
    expect(pin.matches(otherKey().blob)).toBe(false);
    expect(pin.matches(Buffer.alloc(0))).toBe(false);
  });

  it('accepts a key by its SHA256 fingerprint', () => {
    const pin = HostKeyPin.from({ hostKeys: [KEY_SHA256], target });
    expect(pin.matches(BLOB)).toBe(true);
    expect(pin.matches(otherKey().blob)).toBe(false);
  });

  it('takes the known_hosts lines for [host]:port, and not those of the same host on another port', () => {
    const known = `[127.0.0.1]:2222 ${KEY}\n127.0.0.1 ${otherKey().text}\n`;
    expect(HostKeyPin.from({ knownHosts: known, target }).matches(BLOB)).toBe(true);
    const onPort22 = HostKeyPin.from({
      knownHosts: known,
      target: { host: '127.0.0.1', port: 22 },
    });
    expect(onPort22.matches(BLOB)).toBe(false);
  });

  it('understands hashed host names, patterns, negations and comments', () => {
    expect(
      HostKeyPin.from({ knownHosts: `${hashed('[127.0.0.1]:2222')} ${KEY}`, target }).matches(BLOB),
    ).toBe(true);
    expect(
      HostKeyPin.from({
        knownHosts: `# comment\n\nlogin*.example.org ${KEY} c`,
        target: { host: 'login2.example.org', port: 22 },
      }).matches(BLOB),
    ).toBe(true);
    expect(() =>
      HostKeyPin.from({
        knownHosts: `*.example.org,!bad.example.org ${KEY}`,
        target: { host: 'bad.example.org', port: 22 },
      }),
    ).toThrow(SlurmSourceError);
  });

  it('lets @revoked win over a matching line and ignores @cert-authority lines', () => {
    const known = `[127.0.0.1]:2222 ${KEY}\n@revoked [127.0.0.1]:2222 ${KEY}\n`;
    expect(HostKeyPin.from({ knownHosts: known, target }).matches(BLOB)).toBe(false);
    expect(() =>
      HostKeyPin.from({ knownHosts: `@cert-authority [127.0.0.1]:2222 ${KEY}\n`, target }),
    ).toThrow(/no pinned host key/);
  });

  it('skips malformed known_hosts lines instead of failing on them', () => {
    const known = `[127.0.0.1]:2222 ssh-ed25519 !!!notbase64\n[127.0.0.1]:2222\n[127.0.0.1]:2222 ${KEY}\n`;
    expect(HostKeyPin.from({ knownHosts: known, target }).matches(BLOB)).toBe(true);
  });

  it('refuses to exist without a pin: verification cannot be turned off', () => {
    expect(thrown(() => HostKeyPin.from({ target }))).toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'hostKey',
    });
    expect(() => HostKeyPin.from({ knownHosts: '', target })).toThrow(/cannot be turned off/);
  });

  it('refuses a hostKey that is not a well-formed key of its type', () => {
    expect(() => HostKeyPin.from({ hostKeys: ['ssh-ed25519'], target })).toThrow(SlurmSourceError);
    expect(() => HostKeyPin.from({ hostKeys: [`ssh-rsa ${KEY.split(' ')[1]!}`], target })).toThrow(
      /not a ssh-rsa key/,
    );
  });

  it('offers only the pinned key types in the handshake', () => {
    expect(HostKeyPin.from({ hostKeys: [KEY], target }).hostKeyAlgorithms()).toEqual([
      'ssh-ed25519',
    ]);
    expect(
      HostKeyPin.from({ hostKeys: [KEY, otherKey('ecdsa').text], target }).hostKeyAlgorithms(),
    ).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(HostKeyPin.from({ hostKeys: [KEY_SHA256], target }).hostKeyAlgorithms()).toBeUndefined();
  });

  it('describes the pins by fingerprint', () => {
    expect(HostKeyPin.from({ hostKeys: [KEY], target }).describe()).toBe(
      `ssh-ed25519 ${KEY_SHA256}`,
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@clocktower/event-store';
import { userIdOf } from '../domain/user-identity.js';
import { generateApiKey } from './api-key.js';
import { UserDirectory } from './user-directory.js';

const ADA = userIdOf('ada@example.org');
let position = 0n;

function recorded(
  type: string,
  data: Record<string, unknown>,
  stream = `user-${ADA}`,
): RecordedEvent {
  position++;
  return {
    stream,
    revision: Number(position) - 1,
    position,
    recordedAt: '2026-11-21T10:00:00.000Z',
    type,
    schemaVersion: 1,
    eventId: `e-${position}`,
    correlationId: 'c',
    causationId: 'c',
    occurredAt: '2026-11-21T10:00:00.000Z',
    data,
  };
}

const adaCreated = () =>
  recorded('UserCreated', {
    userId: ADA,
    email: 'ada@example.org',
    name: 'Ada',
    role: 'user',
    slurmUser: 'ada',
    clusters: null,
    createdBy: 'cli:root',
  });

function directoryWithSkips(): { directory: UserDirectory; skipped: string[] } {
  const skipped: string[] = [];
  const directory = new UserDirectory((event, reason) =>
    skipped.push(`${event.stream}@${event.revision}: ${reason}`),
  );
  return { directory, skipped };
}

describe('user directory', () => {
  it('authenticates a key by its id and hash, and tells revoked from unknown only to its holder', () => {
    const { directory } = directoryWithSkips();
    const key = generateApiKey();
    directory.apply(adaCreated());
    directory.apply(
      recorded('ApiKeyCreated', {
        userId: ADA,
        keyId: key.keyId,
        sha256: key.sha256,
        label: '',
        createdBy: 'x',
      }),
    );
    expect(directory.authenticate(key.key)).toMatchObject({
      ok: true,
      principal: { userId: ADA, slurmUser: 'ada', keyId: key.keyId },
    });
    expect(directory.authenticate('nonsense')).toEqual({ ok: false, reason: 'malformed' });
    const forged = `${key.key.slice(0, -1)}${key.key.endsWith('A') ? 'B' : 'A'}`;
    expect(directory.authenticate(forged)).toEqual({ ok: false, reason: 'unknown' });

    directory.apply(recorded('ApiKeyRevoked', { userId: ADA, keyId: key.keyId, revokedBy: 'x' }));
    expect(directory.authenticate(key.key)).toEqual({ ok: false, reason: 'revoked' });
    expect(directory.authenticate(forged)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('skips and reports a malformed event instead of throwing, and goes on', () => {
    const { directory, skipped } = directoryWithSkips();
    directory.apply(recorded('UserCreated', { userId: ADA, email: 'not-an-email' }));
    directory.apply(adaCreated());
    expect(skipped).toEqual([expect.stringMatching(/data\.email/)]);
    expect(directory.userByEmail('ADA@example.org')?.name).toBe('Ada');
    expect(directory.position).toBe(position);
  });

  it('skips an event filed in another user’s stream, and a key for a user never created', () => {
    const { directory, skipped } = directoryWithSkips();
    directory.apply(adaCreated());
    directory.apply(
      recorded('UserUpdated', { userId: ADA, role: 'admin', updatedBy: 'x' }, 'user-someone-else'),
    );
    const ghost = userIdOf('ghost@example.org');
    directory.apply(
      recorded(
        'ApiKeyCreated',
        { userId: ghost, keyId: 'K1', sha256: 'a'.repeat(64), label: '', createdBy: 'x' },
        `user-${ghost}`,
      ),
    );
    directory.apply(recorded('SomethingNew', { userId: ADA }));
    expect(skipped).toEqual([
      expect.stringMatching(/not this stream's/),
      expect.stringMatching(/never created/),
      expect.stringMatching(/unknown message type "SomethingNew"/),
    ]);
    expect(directory.user(ADA)?.role).toBe('user');
    expect(directory.hasAdmin()).toBe(false);
  });
});

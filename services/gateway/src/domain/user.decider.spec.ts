import { describe, expect, it } from '@jest/globals';
import {
  decideUser,
  evolveUser,
  initialUserState,
  type UserCommand,
  type UserEvent,
  type UserStateOrNone,
} from './user.decider.js';
import {
  ApiKeyAlreadyRevokedError,
  DuplicateApiKeyError,
  DuplicateEmailError,
  LastAdminError,
  UnknownApiKeyError,
  UnknownUserError,
  type UserRuleError,
} from './user.errors.js';
import { normalizeEmail, userIdOf } from './user-identity.js';

const ADA = userIdOf('ada@example.org');
const AT = '2026-11-21T10:00:00.000Z';
const SHA = 'a'.repeat(64);

const created: UserEvent = {
  type: 'UserCreated',
  data: {
    userId: ADA,
    email: 'ada@example.org',
    name: 'Ada',
    role: 'user',
    slurmUser: 'ada',
    clusters: null,
    createdBy: 'cli:root',
  },
};
const keyCreated: UserEvent = {
  type: 'ApiKeyCreated',
  data: { userId: ADA, keyId: 'K1', sha256: SHA, label: 'laptop', createdBy: 'admin-1' },
};
const keyRevoked: UserEvent = {
  type: 'ApiKeyRevoked',
  data: { userId: ADA, keyId: 'K1', revokedBy: 'admin-1' },
};
const promoted: UserEvent = {
  type: 'UserUpdated',
  data: { userId: ADA, role: 'admin', updatedBy: 'cli:root' },
};

/** given these events in the user's stream, when a command, then events (or a rule's error). */
function given(...history: UserEvent[]) {
  const state = history.reduce<UserStateOrNone>(
    (s, e) => evolveUser(s, { ...e, occurredAt: AT }),
    initialUserState(),
  );
  return {
    state,
    when: (command: UserCommand) => ({
      then: (expected: UserEvent[]) => expect(decideUser(command, state)).toEqual(expected),
      thenRefuses: (error: UserRuleError) => {
        expect(() => decideUser(command, state)).toThrow(error);
        try {
          decideUser(command, state);
        } catch (caught) {
          expect((caught as UserRuleError).code).toBe(error.code);
        }
      },
    }),
  };
}

const createAda: UserCommand = {
  type: 'CreateUser',
  data: {
    userId: ADA,
    email: 'ada@example.org',
    name: 'Ada',
    role: 'user',
    slurmUser: 'ada',
    clusters: null,
    by: 'cli:root',
  },
};
const update = (changes: object, otherAdmins = 1): UserCommand => ({
  type: 'UpdateUser',
  data: { userId: ADA, changes, by: 'admin-1', otherAdmins },
});

describe('user decider', () => {
  it('records UserCreated, with who created the user, for a new email', () => {
    given().when(createAda).then([created]);
  });

  it('refuses a second user with the same email (the stream already exists)', () => {
    given(created).when(createAda).thenRefuses(new DuplicateEmailError('ada@example.org'));
  });

  it('derives one user id from an email whatever its case, so uniqueness holds across spellings', () => {
    expect(userIdOf(' Ada@Example.ORG ')).toBe(ADA);
    expect(normalizeEmail(' Ada@Example.ORG ')).toBe('ada@example.org');
    expect(userIdOf('grace@example.org')).not.toBe(ADA);
  });

  it('records only the fields an update really changes', () => {
    given(created)
      .when(update({ name: 'Ada', role: 'user', clusters: ['lab', 'hpc'] }))
      .then([
        {
          type: 'UserUpdated',
          data: { userId: ADA, clusters: ['lab', 'hpc'], updatedBy: 'admin-1' },
        },
      ]);
  });

  it('records nothing for an update that changes nothing (clusters compared as a set)', () => {
    const limited: UserEvent = {
      type: 'UserUpdated',
      data: { userId: ADA, clusters: ['lab', 'hpc'], updatedBy: 'x' },
    };
    given(created, limited)
      .when(update({ clusters: ['hpc', 'lab'], slurmUser: 'ada' }))
      .then([]);
  });

  it('records a move back to every cluster as clusters: null', () => {
    const limited: UserEvent = {
      type: 'UserUpdated',
      data: { userId: ADA, clusters: ['lab'], updatedBy: 'x' },
    };
    given(created, limited)
      .when(update({ clusters: null }))
      .then([{ type: 'UserUpdated', data: { userId: ADA, clusters: null, updatedBy: 'admin-1' } }]);
  });

  it('refuses to demote the only admin', () => {
    given(created, promoted)
      .when(update({ role: 'user' }, 0))
      .thenRefuses(new LastAdminError(ADA));
  });

  it('lets an admin be demoted while another admin remains', () => {
    given(created, promoted)
      .when(update({ role: 'user' }, 1))
      .then([{ type: 'UserUpdated', data: { userId: ADA, role: 'user', updatedBy: 'admin-1' } }]);
  });

  it('refuses to update or give a key to a user that does not exist', () => {
    given()
      .when(update({ name: 'x' }))
      .thenRefuses(new UnknownUserError(ADA));
    given()
      .when({
        type: 'CreateApiKey',
        data: { userId: ADA, keyId: 'K1', sha256: SHA, label: '', by: 'x' },
      })
      .thenRefuses(new UnknownUserError(ADA));
  });

  it('records ApiKeyCreated with the hash, never a secret, and who created it', () => {
    given(created)
      .when({
        type: 'CreateApiKey',
        data: { userId: ADA, keyId: 'K1', sha256: SHA, label: 'laptop', by: 'admin-1' },
      })
      .then([keyCreated]);
  });

  it('refuses a key id the user already has', () => {
    given(created, keyCreated)
      .when({
        type: 'CreateApiKey',
        data: { userId: ADA, keyId: 'K1', sha256: SHA, label: 'again', by: 'admin-1' },
      })
      .thenRefuses(new DuplicateApiKeyError('K1'));
  });

  it('records ApiKeyRevoked with who revoked it', () => {
    given(created, keyCreated)
      .when({ type: 'RevokeApiKey', data: { userId: ADA, keyId: 'K1', by: 'admin-1' } })
      .then([keyRevoked]);
  });

  it('refuses to revoke an unknown key or one already revoked', () => {
    given(created)
      .when({ type: 'RevokeApiKey', data: { userId: ADA, keyId: 'K9', by: 'x' } })
      .thenRefuses(new UnknownApiKeyError('K9'));
    given(created, keyCreated, keyRevoked)
      .when({ type: 'RevokeApiKey', data: { userId: ADA, keyId: 'K1', by: 'x' } })
      .thenRefuses(new ApiKeyAlreadyRevokedError('K1'));
  });

  it('folds the history into the state the API shows: keys with their revocation', () => {
    const { state } = given(created, keyCreated, promoted, keyRevoked);
    expect(state).toEqual({
      userId: ADA,
      email: 'ada@example.org',
      name: 'Ada',
      role: 'admin',
      slurmUser: 'ada',
      clusters: null,
      createdAt: AT,
      createdBy: 'cli:root',
      updatedAt: AT,
      keys: [
        {
          keyId: 'K1',
          userId: ADA,
          sha256: SHA,
          label: 'laptop',
          createdAt: AT,
          createdBy: 'admin-1',
          revokedAt: AT,
          revokedBy: 'admin-1',
        },
      ],
    });
  });
});

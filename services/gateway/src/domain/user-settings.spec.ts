import { describe, expect, it } from '@jest/globals';
import { decideUser, evolveUser, initialUserState, type UserEvent } from './user.decider.js';
import { UnknownUserError } from './user.errors.js';
import { userIdOf } from './user-identity.js';
import { DEFAULT_USER_SETTINGS, defaultSettingsFor, effectiveSettings } from './user-settings.js';

const ADA = userIdOf('ada@example.org');
const AT = '2026-11-21T10:00:00.000Z';
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
const darkTheme: UserEvent = {
  type: 'UserSettingsChanged',
  data: { userId: ADA, theme: 'dark', changedBy: ADA },
};

const fold = (...events: UserEvent[]) =>
  events.reduce((s, e) => evolveUser(s, { ...e, occurredAt: AT }), initialUserState());
const change = (changes: object) =>
  ({ type: 'ChangeSettings', data: { userId: ADA, changes, by: ADA } }) as const;

describe("a user's dashboard settings", () => {
  it('are the defaults until the user chooses', () => {
    expect(effectiveSettings(fold(created)!.settings)).toEqual(DEFAULT_USER_SETTINGS);
  });

  it('record only the settings that change, naming who changed them', () => {
    const state = fold(created, darkTheme);
    expect(decideUser(change({ theme: 'dark', itemsPerPage: 100 }), state)).toEqual([
      { type: 'UserSettingsChanged', data: { userId: ADA, itemsPerPage: 100, changedBy: ADA } },
    ]);
  });

  it('record nothing when a choice is made again', () => {
    expect(decideUser(change({ theme: 'dark' }), fold(created, darkTheme))).toEqual([]);
    expect(decideUser(change({}), fold(created, darkTheme))).toEqual([]);
  });

  it('record a default chosen explicitly, so it holds whatever the browser asks for', () => {
    expect(decideUser(change({ language: 'en' }), fold(created))).toEqual([
      { type: 'UserSettingsChanged', data: { userId: ADA, language: 'en', changedBy: ADA } },
    ]);
    const state = fold(created, {
      type: 'UserSettingsChanged',
      data: { userId: ADA, language: 'en', changedBy: ADA },
    })!;
    expect(effectiveSettings(state.settings, defaultSettingsFor('fr-FR,fr;q=0.9')).language).toBe(
      'en',
    );
  });

  it("speak the browser's first language the dashboard knows until the user chooses", () => {
    const never = fold(created)!.settings;
    expect(effectiveSettings(never, defaultSettingsFor('fr-CA,fr;q=0.9,en;q=0.8')).language).toBe(
      'fr',
    );
    expect(effectiveSettings(never, defaultSettingsFor('de-DE,en;q=0.5,fr;q=0.7')).language).toBe(
      'fr',
    );
    expect(effectiveSettings(never, defaultSettingsFor('de, ja;q=0.5')).language).toBe('en');
    expect(effectiveSettings(never, defaultSettingsFor('fr;q=0, en')).language).toBe('en');
    expect(effectiveSettings(never, defaultSettingsFor(undefined))).toEqual(DEFAULT_USER_SETTINGS);
  });

  it('fold each change over the earlier ones, keeping the rest of the user as it was', () => {
    const state = fold(created, darkTheme, {
      type: 'UserSettingsChanged',
      data: { userId: ADA, language: 'fr', itemsPerPage: 200, changedBy: ADA },
    })!;
    expect(effectiveSettings(state.settings)).toEqual({
      itemsPerPage: 200,
      dateFormat: DEFAULT_USER_SETTINGS.dateFormat,
      theme: 'dark',
      language: 'fr',
    });
    expect(state.updatedAt).toBe(AT);
    expect(state.name).toBe('Ada');
  });

  it('cannot be changed for a user who does not exist', () => {
    expect(() => decideUser(change({ theme: 'light' }), initialUserState())).toThrow(
      new UnknownUserError(ADA),
    );
  });
});

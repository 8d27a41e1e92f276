import type {
  DATE_FORMATS,
  ITEMS_PER_PAGE_CHOICES,
  LANGUAGES,
  THEMES,
} from '@clocktower/contracts';

/** A user's dashboard settings, as the API shows them: every one, defaults filled in. */
export interface UserSettings {
  readonly itemsPerPage: (typeof ITEMS_PER_PAGE_CHOICES)[number];
  readonly dateFormat: (typeof DATE_FORMATS)[number];
  readonly theme: (typeof THEMES)[number];
  readonly language: (typeof LANGUAGES)[number];
}

export type UserSettingsChanges = Partial<UserSettings>;

/**
 * What a user who never chose gets. Only choices are stored (never these defaults), so changing a
 * default later changes it for everyone who did not choose.
 */
export const DEFAULT_USER_SETTINGS: UserSettings = {
  itemsPerPage: 50,
  dateFormat: 'local',
  theme: 'system',
  language: 'en',
};

const KEYS = Object.keys(DEFAULT_USER_SETTINGS) as (keyof UserSettings)[];

export function effectiveSettings(chosen: UserSettingsChanges | undefined): UserSettings {
  return { ...DEFAULT_USER_SETTINGS, ...chosen };
}

/** The choices that differ from what the user has now: setting a value again records nothing. */
export function changedSettings(
  chosen: UserSettingsChanges | undefined,
  changes: UserSettingsChanges,
): UserSettingsChanges {
  const now = effectiveSettings(chosen);
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = changes[key];
    if (value !== undefined && value !== null && value !== now[key]) out[key] = value;
  }
  return out;
}

/** The choices after a change: only keys with a value. */
export function withSettings(
  chosen: UserSettingsChanges | undefined,
  changes: UserSettingsChanges,
): UserSettingsChanges {
  const out: Record<string, unknown> = { ...chosen };
  for (const key of KEYS)
    if (changes[key] !== undefined && changes[key] !== null) out[key] = changes[key];
  return out;
}

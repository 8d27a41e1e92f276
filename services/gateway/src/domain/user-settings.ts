import {
  LANGUAGES,
  type DATE_FORMATS,
  type ITEMS_PER_PAGE_CHOICES,
  type THEMES,
} from '@clocktower/contracts';
import { weightedList } from './weighted-list.js';

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

type Language = UserSettings['language'];

/**
 * The defaults for one request: the language the browser asks for first (its `Accept-Language`,
 * by weight) among those the dashboard speaks, so a user who never chose reads their own.
 */
export function defaultSettingsFor(acceptLanguage: string | undefined): UserSettings {
  return { ...DEFAULT_USER_SETTINGS, language: preferredLanguage(acceptLanguage) };
}

function preferredLanguage(header: string | undefined): Language {
  const ranked = weightedList(header)
    .map((choice, index) => ({ language: choice.value.split('-')[0] ?? '', q: choice.q, index }))
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const spoken = ranked.find((r) => (LANGUAGES as readonly string[]).includes(r.language));
  return (spoken?.language as Language | undefined) ?? DEFAULT_USER_SETTINGS.language;
}

export function effectiveSettings(
  chosen: UserSettingsChanges | undefined,
  defaults: UserSettings = DEFAULT_USER_SETTINGS,
): UserSettings {
  return { ...defaults, ...chosen };
}

/**
 * The choices that differ from what the user chose before: choosing a value again records
 * nothing, but choosing a default does (it then holds whatever the browser or a later default says).
 */
export function changedSettings(
  chosen: UserSettingsChanges | undefined,
  changes: UserSettingsChanges,
): UserSettingsChanges {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = changes[key];
    if (value !== undefined && value !== null && value !== chosen?.[key]) out[key] = value;
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

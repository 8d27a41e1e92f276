import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DATE_FORMATS, ITEMS_PER_PAGE, LANGUAGES, THEMES, type UserSettings } from './api/types.js';

export const DEFAULT_SETTINGS: UserSettings = {
  itemsPerPage: 50,
  dateFormat: 'local',
  theme: 'system',
  language: navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en',
};

const CACHE_ITEM = 'clocktower.settings';

/**
 * Settings are the user's, kept by the API (GET/PUT /users/me/settings); this browser keeps a copy
 * so that the login page already speaks the user's language and wears their theme.
 */
export function cachedSettings(): UserSettings {
  try {
    return parseSettings(JSON.parse(localStorage.getItem(CACHE_ITEM) ?? '{}'));
  } catch {
    return DEFAULT_SETTINGS;
  }
}

export function cacheSettings(settings: UserSettings): void {
  localStorage.setItem(CACHE_ITEM, JSON.stringify(settings));
}

const oneOf = <T>(values: readonly T[], value: unknown, fallback: T): T =>
  values.includes(value as T) ? (value as T) : fallback;

/** Whatever came back (an older server, a hand-edited cache), a valid settings object. */
export function parseSettings(value: unknown): UserSettings {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    itemsPerPage: oneOf(ITEMS_PER_PAGE, v['itemsPerPage'], DEFAULT_SETTINGS.itemsPerPage),
    dateFormat: oneOf(DATE_FORMATS, v['dateFormat'], DEFAULT_SETTINGS.dateFormat),
    theme: oneOf(THEMES, v['theme'], DEFAULT_SETTINGS.theme),
    language: oneOf(LANGUAGES, v['language'], DEFAULT_SETTINGS.language),
  };
}

/** Applies a theme to the document; `system` follows the browser's preference (CSS media query). */
export function applyTheme(theme: UserSettings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
}

export interface SettingsContextValue {
  readonly settings: UserSettings;
  readonly update: (change: Partial<UserSettings>) => void;
}

export const SettingsContext = createContext<SettingsContextValue>({
  settings: DEFAULT_SETTINGS,
  update: () => undefined,
});

export const useSettings = (): SettingsContextValue => useContext(SettingsContext);

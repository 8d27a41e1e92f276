import { ApiError, errorMessage } from '../api/client.js';
import {
  DATE_FORMATS,
  ITEMS_PER_PAGE,
  LANGUAGES,
  THEMES,
  type Me,
  type UserSettings,
} from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';
import { useSettings } from '../settings.js';

/** The user's settings: each change is applied at once and saved (PUT /users/me/settings). */
export function SettingsPage(props: { readonly me: Me | undefined; readonly saveError: unknown }) {
  const { t } = useI18n();
  const { settings, update } = useSettings();
  const choose =
    <K extends keyof UserSettings>(key: K, parse: (value: string) => UserSettings[K]) =>
    (e: Event): void =>
      update({ [key]: parse((e.currentTarget as HTMLSelectElement).value) });
  const error = props.saveError;
  return (
    <section class="settings">
      <h1>{t('settings.title')}</h1>
      {props.me && (
        <p class="muted">
          {t('settings.account', {
            name: props.me.name,
            email: props.me.email,
            role: props.me.role,
          })}
        </p>
      )}
      <form data-testid="settings" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('settings.itemsPerPage')}
          <select
            name="itemsPerPage"
            value={String(settings.itemsPerPage)}
            onChange={choose('itemsPerPage', (v) => Number(v) as UserSettings['itemsPerPage'])}
          >
            {ITEMS_PER_PAGE.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.dateFormat')}
          <select
            name="dateFormat"
            value={settings.dateFormat}
            onChange={choose('dateFormat', (v) => v as UserSettings['dateFormat'])}
          >
            {DATE_FORMATS.map((d) => (
              <option key={d} value={d}>
                {t(`settings.dateFormat.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.theme')}
          <select
            name="theme"
            value={settings.theme}
            onChange={choose('theme', (v) => v as UserSettings['theme'])}
          >
            {THEMES.map((theme) => (
              <option key={theme} value={theme}>
                {t(`settings.theme.${theme}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('settings.language')}
          <select
            name="language"
            value={settings.language}
            onChange={choose('language', (v) => v as UserSettings['language'])}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`language.${language}`)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error ? (
        <p class="warning" role="status">
          {t('settings.notSaved', {
            message:
              error instanceof ApiError ? `${error.status} ${error.message}` : errorMessage(error),
          })}
        </p>
      ) : null}
    </section>
  );
}

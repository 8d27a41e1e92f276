import { useState } from 'preact/hooks';
import { api, ApiError, errorMessage, session } from '../api/client.js';
import type { Me } from '../api/types.js';
import { useI18n } from '../i18n/i18n.js';

/** The API key prompt: the key is checked with GET /users/me before it is kept (sessionStorage). */
export function LoginPage(props: {
  readonly expired: boolean;
  readonly onLogin: (me: Me) => void;
}) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<Me>('/users/me', { key: key.trim() });
      session.save(key.trim());
      props.onLogin(me);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? t('login.wrong') : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form onSubmit={(e) => void submit(e)} data-testid="login">
        <h1>{t('login.title')}</h1>
        {props.expired && !error && (
          <p class="warning" role="alert">
            {t('login.expired')}
          </p>
        )}
        <label>
          {t('login.key')}
          <input
            type="password"
            name="apiKey"
            autoComplete="off"
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </label>
        <p class="help">{t('login.help')}</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ''}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}

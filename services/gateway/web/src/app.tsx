import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, onUnauthorized, session } from './api/client.js';
import { changeStream } from './api/change-stream.js';
import type { Me, UserSettings } from './api/types.js';
import { Layout } from './components/layout.js';
import { I18nContext, translator } from './i18n/i18n.js';
import { HistoryPage } from './pages/history.js';
import { JobPage } from './pages/job.js';
import { JobsPage } from './pages/jobs.js';
import { LoginPage } from './pages/login.js';
import { NodePage } from './pages/node.js';
import { NodesPage } from './pages/nodes.js';
import { OverviewPage } from './pages/overview.js';
import { SettingsPage } from './pages/settings.js';
import { navigate, useLocation } from './router.js';
import {
  applyTheme,
  cacheSettings,
  cachedSettings,
  parseSettings,
  SettingsContext,
  type SettingsContextValue,
} from './settings.js';

function Page(props: {
  readonly path: string;
  readonly me: Me | undefined;
  readonly saveError: unknown;
}) {
  const parts = props.path
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const [section, cluster, key] = parts;
  if (section === undefined) return <OverviewPage />;
  if (section === 'jobs' && cluster !== undefined && key !== undefined) {
    return <JobPage cluster={cluster} jobId={key} />;
  }
  if (section === 'jobs') return <JobsPage />;
  if (section === 'nodes' && cluster !== undefined && key !== undefined) {
    return <NodePage cluster={cluster} name={key} />;
  }
  if (section === 'nodes') return <NodesPage />;
  if (section === 'history') return <HistoryPage />;
  if (section === 'settings') return <SettingsPage me={props.me} saveError={props.saveError} />;
  return <OverviewPage />;
}

export function App() {
  const [settings, setSettings] = useState<UserSettings>(cachedSettings);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const [expired, setExpired] = useState(false);
  const [me, setMe] = useState<Me | undefined>();
  const changedHere = useRef(false);
  const location = useLocation();

  useEffect(
    () =>
      onUnauthorized(() => {
        changeStream.stop();
        setSignedIn(false);
        setExpired(true);
        setMe(undefined);
      }),
    [],
  );

  useEffect(() => {
    applyTheme(settings.theme);
    document.documentElement.lang = settings.language;
    cacheSettings(settings);
  }, [settings]);

  useEffect(() => {
    if (!signedIn) return;
    changeStream.start();
    api<Me>('/users/me').then(setMe, () => undefined);
    // A server without the settings route keeps the browser's copy; a choice made while the
    // answer was on its way wins over it.
    changedHere.current = false;
    api<unknown>('/users/me/settings').then(
      (s) => {
        if (!changedHere.current) setSettings(parseSettings(s));
      },
      () => undefined,
    );
    if (location.path === '/login') navigate('/', { replace: true });
    return () => changeStream.stop();
    // Only on sign-in and sign-out: the location is read once, for /login.
  }, [signedIn]);

  const update = useCallback((change: Partial<UserSettings>) => {
    changedHere.current = true;
    setSettings((s) => ({ ...s, ...change }));
    if (!session.key()) return;
    // The answer (the full settings) is not applied: with two changes in flight, the first
    // answer would undo the second for a moment. What was chosen here is what the server keeps.
    api<unknown>('/users/me/settings', { method: 'PUT', body: change }).then(
      () => setSaveError(null),
      (error: unknown) => setSaveError(error),
    );
  }, []);

  const i18n = useMemo(
    () => ({ language: settings.language, t: translator(settings.language) }),
    [settings.language],
  );
  const settingsValue = useMemo<SettingsContextValue>(
    () => ({ settings, update }),
    [settings, update],
  );

  const logout = (): void => {
    session.clear();
    changeStream.stop();
    setExpired(false);
    setMe(undefined);
    setSignedIn(false);
  };

  return (
    <I18nContext.Provider value={i18n}>
      <SettingsContext.Provider value={settingsValue}>
        {signedIn ? (
          <Layout path={location.path} me={me} onLogout={logout}>
            <Page path={location.path} me={me} saveError={saveError} />
          </Layout>
        ) : (
          <LoginPage
            expired={expired}
            onLogin={(who) => {
              setMe(who);
              setExpired(false);
              setSignedIn(true);
            }}
          />
        )}
      </SettingsContext.Provider>
    </I18nContext.Provider>
  );
}

import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { changeStream, type StreamStatus } from '../api/change-stream.js';
import { LANGUAGES, type Language, type Me } from '../api/types.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { useSettings } from '../settings.js';
import { Link } from './link.js';

const NAV: readonly (readonly [string, MessageKey])[] = [
  ['/', 'nav.overview'],
  ['/jobs', 'nav.jobs'],
  ['/nodes', 'nav.nodes'],
  ['/history', 'nav.history'],
  ['/settings', 'nav.settings'],
];

function useStreamStatus(): StreamStatus {
  const [status, setStatus] = useState(changeStream.status);
  useEffect(() => changeStream.onStatus(setStatus), []);
  return status;
}

export function Layout(props: {
  readonly path: string;
  readonly me: Me | undefined;
  readonly onLogout: () => void;
  readonly children: ComponentChildren;
}) {
  const { t } = useI18n();
  const { settings, update } = useSettings();
  const status = useStreamStatus();
  const active = (to: string): boolean =>
    to === '/' ? props.path === '/' : props.path === to || props.path.startsWith(`${to}/`);
  const dark =
    settings.theme === 'dark' ||
    (settings.theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  return (
    <>
      <header>
        <strong class="brand">{t('app.title')}</strong>
        <nav>
          {NAV.map(([to, label]) => (
            <Link key={to} href={to} class={active(to) ? 'active' : ''}>
              {t(label)}
            </Link>
          ))}
        </nav>
        <span class={`live live-${status}`} data-testid="live-status">
          {t(`live.${status}`)}
        </span>
        <label class="compact">
          <span class="sr-only">{t('nav.language')}</span>
          <select
            data-testid="language"
            value={settings.language}
            onChange={(e) => update({ language: e.currentTarget.value as Language })}
          >
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`language.${language}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="theme-toggle"
          title={t('nav.theme')}
          onClick={() => update({ theme: dark ? 'light' : 'dark' })}
        >
          {dark ? '☀' : '☾'}
        </button>
        {props.me && <span class="who">{props.me.name || props.me.email}</span>}
        <button type="button" onClick={props.onLogout}>
          {t('nav.logout')}
        </button>
      </header>
      <main>{props.children}</main>
    </>
  );
}

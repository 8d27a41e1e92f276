import type { Language, UserSettings } from './api/types.js';
import { useI18n } from './i18n/i18n.js';
import { useSettings } from './settings.js';

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

interface IntlFormatters {
  readonly date: Intl.DateTimeFormat;
  readonly relative: Intl.RelativeTimeFormat;
  readonly number: Intl.NumberFormat;
  readonly percent: Intl.NumberFormat;
}

/** Made once per language: building an Intl formatter costs far more than using one. */
const cache = new Map<Language, IntlFormatters>();

function formatters(language: Language): IntlFormatters {
  let found = cache.get(language);
  if (!found) {
    found = {
      date: new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }),
      relative: new Intl.RelativeTimeFormat(language, { numeric: 'auto' }),
      number: new Intl.NumberFormat(language),
      percent: new Intl.NumberFormat(language, { maximumFractionDigits: 0 }),
    };
    cache.set(language, found);
  }
  return found;
}

export function formatTime(
  iso: string | null | undefined,
  format: UserSettings['dateFormat'],
  language: Language,
  now = Date.now(),
): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const date = new Date(ms);
  if (format === 'iso') return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  if (format === 'local') return formatters(language).date.format(date);
  const seconds = Math.round((ms - now) / 1000);
  const rtf = formatters(language).relative;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return rtf.format(Math.round(seconds / size), unit);
    }
  }
  return iso;
}

/** `2d 3h`, `1h 05m`, `4m 10s`, `12s`: two units at most. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  const sec = s % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${pad(m)}m`;
  if (m) return `${m}m ${pad(sec)}s`;
  return `${sec}s`;
}

export interface Formatters {
  readonly time: (iso: string | null | undefined) => string;
  readonly number: (n: number) => string;
  readonly percent: (part: number, whole: number) => string;
  readonly duration: (seconds: number) => string;
}

export function useFormat(): Formatters {
  const { language } = useI18n();
  const { settings } = useSettings();
  const intl = formatters(language);
  return {
    time: (iso) => formatTime(iso, settings.dateFormat, language),
    number: (n) => intl.number.format(n),
    percent: (part, whole) => (whole > 0 ? `${intl.percent.format((100 * part) / whole)} %` : '—'),
    duration: formatDuration,
  };
}

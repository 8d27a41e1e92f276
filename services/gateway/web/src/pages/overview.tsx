import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client.js';
import type { ClusterStats, ClusterView } from '../api/types.js';
import { Pending } from '../components/error-box.js';
import { LineChart } from '../components/line-chart.js';
import { Link } from '../components/link.js';
import { StateBadge } from '../components/state-badge.js';
import { UsageBar } from '../components/usage-bar.js';
import { useFormat } from '../format.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { useLiveRefresh } from '../live.js';
import { href, navigate, useLocation } from '../router.js';
import { useApi } from '../use-api.js';

/** A cluster not polled successfully for this long is flagged: its figures may be out of date. */
export const STALE_AFTER_MS = 2 * 60_000;

const PERIODS: readonly (readonly [string, number, MessageKey])[] = [
  ['1h', 3_600, 'overview.period.1h'],
  ['6h', 6 * 3_600, 'overview.period.6h'],
  ['24h', 24 * 3_600, 'overview.period.24h'],
  ['7d', 7 * 24 * 3_600, 'overview.period.7d'],
];
/** Points per chart: enough for a curve, few enough for a light answer. */
const POINTS = 60;

/** Re-renders every `ms`, so ages and staleness move on while nothing else changes. */
function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export function OverviewPage() {
  const { t } = useI18n();
  const clusters = useApi<{ items: ClusterView[] }>('/clusters');
  const { query } = useLocation();
  useLiveRefresh(() => true, clusters.reload, []);
  const items = clusters.data?.items ?? [];
  const chosen = query.get('cluster') ?? items[0]?.cluster;
  const period = PERIODS.find(([name]) => name === query.get('period')) ?? PERIODS[2]!;
  const set = (name: string, value: string): void => {
    const next = new URLSearchParams(query);
    next.set(name, value);
    navigate(href('/', next), { replace: true });
  };

  if (!clusters.data) return <Pending loaded={clusters} retry />;
  return (
    <section>
      <h1>{t('overview.title')}</h1>
      {items.length === 0 && <p>{t('overview.noClusters')}</p>}
      <div class="cards">
        {items.map((c) => (
          <ClusterCard key={c.cluster} cluster={c} />
        ))}
      </div>
      {chosen && (
        <>
          <h2>{t('overview.charts')}</h2>
          <div class="filters">
            <label>
              {t('common.cluster')}
              <select value={chosen} onChange={(e) => set('cluster', e.currentTarget.value)}>
                {items.map((c) => (
                  <option key={c.cluster} value={c.cluster}>
                    {c.cluster}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('overview.period')}
              <select value={period[0]} onChange={(e) => set('period', e.currentTarget.value)}>
                {PERIODS.map(([name, , label]) => (
                  <option key={name} value={name}>
                    {t(label)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <Charts cluster={chosen} seconds={period[1]} />
        </>
      )}
    </section>
  );
}

function ClusterCard(props: { readonly cluster: ClusterView }) {
  const { t } = useI18n();
  const f = useFormat();
  const now = useNow(15_000);
  const c = props.cluster;
  const last = c.lastPollAt ? Date.parse(c.lastPollAt) : null;
  const stale = last === null || now - last > STALE_AFTER_MS;
  const jobs = Object.entries(c.jobsByState).sort((a, b) => b[1] - a[1]);
  const nodes = Object.entries(c.nodesByState).sort((a, b) => b[1] - a[1]);
  return (
    <article
      class={`card${stale || !c.reachable ? ' card-stale' : ''}`}
      data-testid={`cluster-${c.cluster}`}
    >
      <h2>
        {c.cluster}{' '}
        {c.simulated && <small class="badge badge-muted">{t('overview.simulated')}</small>}
      </h2>
      {!c.reachable && (
        <p class="warning" role="alert">
          {t('overview.unreachable', { reason: c.unreachableReason ?? '?' })}
        </p>
      )}
      {stale && (
        <p class="warning" role="alert" data-testid="stale">
          {last === null
            ? t('overview.neverPolled')
            : t('overview.stale', { age: f.duration((now - last) / 1000) })}
        </p>
      )}
      <p class="muted">{last !== null && t('overview.lastPoll', { time: f.time(c.lastPollAt) })}</p>
      <h3>{t('overview.jobsPerState')}</h3>
      <ul class="counts">
        {jobs.map(([state, n]) => (
          <li key={state}>
            <Link href={href('/jobs', { cluster: c.cluster, state })}>
              <StateBadge state={state} /> {f.number(n)}
            </Link>
          </li>
        ))}
      </ul>
      <h3>{t('overview.nodesPerState')}</h3>
      <ul class="counts">
        {nodes.map(([state, n]) => (
          <li key={state}>
            <Link href={href('/nodes', { cluster: c.cluster, state })}>
              <StateBadge state={state} /> {f.number(n)}
            </Link>
          </li>
        ))}
      </ul>
      <h3>{t('overview.cpuUse')}</h3>
      <UsageBar used={c.cpus.allocated} total={c.cpus.total} />
      {c.gpus.total > 0 && (
        <>
          <h3>{t('overview.gpuUse')}</h3>
          <UsageBar used={c.gpus.allocated} total={c.gpus.total} />
        </>
      )}
    </article>
  );
}

/** The period ends now, rounded down to the step, so that refreshes within a step ask the same. */
export function statsPath(cluster: string, seconds: number, now: number): string {
  const step = Math.max(60, Math.round(seconds / POINTS));
  const to = Math.floor(now / 1000 / step) * step * 1000;
  const from = to - seconds * 1000;
  return `/clusters/${encodeURIComponent(cluster)}/stats?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&step=${step}`;
}

function Charts(props: { readonly cluster: string; readonly seconds: number }) {
  const { t } = useI18n();
  const now = useNow(60_000);
  const stats = useApi<ClusterStats>(statsPath(props.cluster, props.seconds, now));
  if (stats.error !== undefined) {
    return (
      <p class="muted">{t('overview.chart.unavailable', { message: errorMessage(stats.error) })}</p>
    );
  }
  const points = stats.data?.points;
  if (!points) return <p>{t('common.loading')}</p>;
  if (points.length === 0) return <p>{t('overview.chart.noData')}</p>;
  const times = points.map((p) => p.at);
  const states = [...new Set(points.flatMap((p) => Object.keys(p.jobs)))].sort();
  const pct = (used: number, total: number): number | null =>
    total > 0 ? (100 * used) / total : null;
  const minutes = (s: number | null): number | null => (s === null ? null : s / 60);
  return (
    <div class="charts" data-testid="charts">
      <LineChart
        title={t('overview.chart.jobs')}
        times={times}
        series={states.map((state) => ({
          name: state,
          // Before the first sample nothing is known: a gap, not zero.
          values: points.map((p) =>
            Object.keys(p.jobs).length === 0 ? null : (p.jobs[state] ?? 0),
          ),
        }))}
      />
      <LineChart
        title={t('overview.chart.use')}
        times={times}
        series={[
          { name: t('common.cpus'), values: points.map((p) => pct(p.cpus.used, p.cpus.total)) },
          { name: t('common.gpus'), values: points.map((p) => pct(p.gpus.used, p.gpus.total)) },
        ]}
      />
      <LineChart
        title={t('overview.chart.waits')}
        times={times}
        series={[
          {
            name: t('overview.wait.mean'),
            values: points.map((p) => minutes(p.waits.meanSeconds)),
          },
          { name: t('overview.wait.max'), values: points.map((p) => minutes(p.waits.maxSeconds)) },
        ]}
      />
    </div>
  );
}

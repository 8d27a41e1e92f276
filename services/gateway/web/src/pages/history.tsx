import type { ChangeEntry, ClusterAsOf, ClusterView, ListReply } from '../api/types.js';
import { Pending } from '../components/error-box.js';
import { Link } from '../components/link.js';
import { Pager, pageHrefs } from '../components/pager.js';
import { Select } from '../components/select.js';
import { StateBadge } from '../components/state-badge.js';
import { describeEvent } from '../components/timeline.js';
import { formFields } from '../form-fields.js';
import { useFormat } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { href, navigate, segment, useLocation } from '../router.js';
import { useSettings } from '../settings.js';
import { useApi } from '../use-api.js';

/** `<input type=datetime-local>` speaks the browser's local time; the URL and the API speak UTC. */
function toLocalInput(iso: string | null): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fromLocalInput(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** The cluster as of a time (`/as-of`) and what changed between two (`/changes`), both in the URL. */
export function HistoryPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const clusters = useApi<{ items: ClusterView[] }>('/clusters');
  const cluster = query.get('cluster') ?? clusters.data?.items[0]?.cluster ?? '';
  const submit = (names: readonly string[]) => (e: Event) => {
    e.preventDefault();
    const next = new URLSearchParams(query);
    const form = formFields(e.currentTarget as HTMLFormElement);
    for (const name of ['cluster', ...names]) {
      const value = form[name] ?? '';
      next.set(name, name === 'cluster' ? value : fromLocalInput(value));
    }
    next.delete('page');
    next.delete('changesPage');
    navigate(href('/history', next));
  };
  const clusterSelect = (
    <label>
      {t('common.cluster')}
      <Select
        name="cluster"
        current={cluster}
        choices={(clusters.data?.items ?? []).map((c) => [c.cluster, c.cluster] as const)}
      />
    </label>
  );
  return (
    <section>
      <h1>{t('history.title')}</h1>
      <h2>{t('history.asOf')}</h2>
      <form class="filters" key={`asof-${query.toString()}`} onSubmit={submit(['time'])}>
        {clusterSelect}
        <label>
          {t('history.time')}
          <input
            type="datetime-local"
            step={1}
            name="time"
            defaultValue={toLocalInput(query.get('time'))}
          />
        </label>
        <button type="submit">{t('history.show')}</button>
      </form>
      {cluster && query.get('time') ? (
        <AsOf cluster={cluster} time={query.get('time') ?? ''} />
      ) : (
        <p class="muted">{t('history.pickCluster')}</p>
      )}
      <h2>{t('history.changes')}</h2>
      <form class="filters" key={`changes-${query.toString()}`} onSubmit={submit(['from', 'to'])}>
        {clusterSelect}
        <label>
          {t('common.from')}
          <input
            type="datetime-local"
            step={1}
            name="from"
            defaultValue={toLocalInput(query.get('from'))}
          />
        </label>
        <label>
          {t('common.to')}
          <input
            type="datetime-local"
            step={1}
            name="to"
            defaultValue={toLocalInput(query.get('to'))}
          />
        </label>
        <button type="submit">{t('history.show')}</button>
      </form>
      {cluster && query.get('from') && query.get('to') && (
        <Changes cluster={cluster} from={query.get('from') ?? ''} to={query.get('to') ?? ''} />
      )}
    </section>
  );
}

function AsOf(props: { readonly cluster: string; readonly time: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const { settings } = useSettings();
  const { query } = useLocation();
  const page = query.get('page') ?? '1';
  const view = useApi<ClusterAsOf>(
    href(`/clusters/${segment(props.cluster)}/as-of`, {
      time: props.time,
      limit: String(settings.itemsPerPage),
      page,
    }),
  );
  const v = view.data;
  if (!v) return <Pending loaded={view} />;
  const pageHref = pageHrefs('/history', query);
  return (
    <div data-testid="as-of">
      <ul class="counts">
        {Object.entries(v.jobsByState).map(([state, n]) => (
          <li key={state}>
            <StateBadge state={state} /> {f.number(n)}
          </li>
        ))}
      </ul>
      <div class="columns">
        <div>
          <h3>{t('history.jobsThen')}</h3>
          <table>
            <thead>
              <tr>
                <th>{t('jobs.col.job')}</th>
                <th>{t('common.user')}</th>
                <th>{t('common.state')}</th>
                <th>{t('common.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {v.jobs.items.map((j) => (
                <tr key={j.stream}>
                  <td>
                    <Link href={`/jobs/${segment(j.cluster)}/${segment(j.jobId)}`}>{j.jobId}</Link>{' '}
                    {j.name}
                  </td>
                  <td>{j.user}</td>
                  <td>
                    <StateBadge state={j.state} />
                  </td>
                  <td>{j.stateReason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            page={Number(page)}
            limit={settings.itemsPerPage}
            total={v.jobs.total}
            hrefOf={pageHref}
          />
        </div>
        <div>
          <h3>{t('history.nodesThen')}</h3>
          <table>
            <tbody>
              {v.nodes.map((n) => (
                <tr key={n.name}>
                  <td>
                    <Link href={`/nodes/${segment(n.cluster)}/${segment(n.name)}`}>{n.name}</Link>
                  </td>
                  <td>
                    <StateBadge state={n.state} />{' '}
                    {n.flags.map((flag) => (
                      <StateBadge key={flag} state={flag} />
                    ))}
                  </td>
                  <td>{n.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}

function Changes(props: { readonly cluster: string; readonly from: string; readonly to: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const { settings } = useSettings();
  const { query } = useLocation();
  const page = query.get('changesPage') ?? '1';
  const changes = useApi<ListReply<ChangeEntry>>(
    href(`/clusters/${segment(props.cluster)}/changes`, {
      from: props.from,
      to: props.to,
      limit: String(settings.itemsPerPage),
      page,
    }),
  );
  const reply = changes.data;
  if (!reply) return <Pending loaded={changes} />;
  const pageHref = pageHrefs('/history', query, 'changesPage');
  const target = (c: ChangeEntry): string | null =>
    c.key === null
      ? null
      : c.kind === 'job'
        ? `/jobs/${segment(c.cluster)}/${segment(c.key)}`
        : `/nodes/${segment(c.cluster)}/${segment(c.key)}`;
  return (
    <div data-testid="changes">
      <p class="count">{t('common.total', { total: f.number(reply.total) })}</p>
      <table>
        <thead>
          <tr>
            <th>{t('common.time')}</th>
            <th>{t('history.col.what')}</th>
            <th>{t('common.type')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {reply.items.map((c) => {
            const to = target(c);
            return (
              <tr key={c.eventId}>
                <td>{f.time(c.slurmTime ?? c.occurredAt)}</td>
                <td>{to ? <Link href={to}>{`${c.kind} ${c.key ?? ''}`}</Link> : c.kind}</td>
                <td>{c.type}</td>
                <td>{describeEvent(c, t)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Pager
        page={Number(page)}
        limit={settings.itemsPerPage}
        total={reply.total}
        hrefOf={pageHref}
      />
    </div>
  );
}

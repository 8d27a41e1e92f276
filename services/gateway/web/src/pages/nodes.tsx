import type { ListReply, NodeView } from '../api/types.js';
import { Pending } from '../components/error-box.js';
import { Link } from '../components/link.js';
import { Pager, pageHrefs } from '../components/pager.js';
import { ClusterSelect, Select } from '../components/select.js';
import { StateBadge } from '../components/state-badge.js';
import { formFields } from '../form-fields.js';
import { useFormat } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useLiveRefresh } from '../live.js';
import { href, navigate, segment, useLocation } from '../router.js';
import { useSettings } from '../settings.js';
import { useApi } from '../use-api.js';

const NODE_STATES = ['IDLE', 'MIXED', 'ALLOCATED', 'DOWN', 'UNKNOWN', 'FUTURE', 'ERROR'] as const;
const FLAGS = ['DRAIN', 'NOT_RESPONDING', 'MAINTENANCE', 'RESERVED', 'POWERED_DOWN'] as const;

/** As on the jobs page, the URL is the API query (GET /nodes), defaults added. */
export function NodesPage() {
  const { t } = useI18n();
  const f = useFormat();
  const { settings } = useSettings();
  const { query } = useLocation();
  const params = new URLSearchParams(query);
  if (!params.has('limit')) params.set('limit', String(settings.itemsPerPage));
  if (!params.has('cursor') && !params.has('page')) params.set('page', '1');
  const nodes = useApi<ListReply<NodeView>>(`/nodes?${params.toString()}`);
  const cluster = query.get('cluster');
  useLiveRefresh((c) => c.kind === 'node' && (!cluster || c.cluster === cluster), nodes.reload, []);
  const pageHref = pageHrefs('/nodes', query);
  const reply = nodes.data;
  return (
    <section>
      <h1>{t('nodes.title')}</h1>
      <form
        class="filters"
        key={query.toString()}
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams(query);
          for (const [name, value] of Object.entries(formFields(e.currentTarget)))
            next.set(name, value);
          next.delete('page');
          navigate(href('/nodes', next));
        }}
      >
        <label>
          {t('common.cluster')}
          <ClusterSelect current={cluster ?? ''} anyLabel={t('jobs.filter.anyCluster')} />
        </label>
        <label>
          {t('common.state')}
          <Select
            name="state"
            current={query.get('state') ?? ''}
            choices={[['', t('common.all')], ...NODE_STATES.map((s) => [s, s] as const)]}
          />
        </label>
        <label>
          {t('nodes.filter.flag')}
          <Select
            name="flag"
            current={query.get('flag') ?? ''}
            choices={[['', t('common.all')], ...FLAGS.map((s) => [s, s] as const)]}
          />
        </label>
        <label>
          {t('common.partition')}
          <input name="partition" defaultValue={query.get('partition') ?? ''} size={10} />
        </label>
        <label>
          {t('nodes.filter.gpuType')}
          <input name="gpuType" defaultValue={query.get('gpuType') ?? ''} size={8} />
        </label>
        <button type="submit">{t('common.apply')}</button>
        <button type="button" onClick={() => navigate('/nodes')}>
          {t('common.clear')}
        </button>
      </form>
      {!reply ? (
        <Pending loaded={nodes} retry />
      ) : (
        <>
          <p class="count">{t('nodes.count', { total: f.number(reply.total) })}</p>
          <table data-testid="nodes-table">
            <thead>
              <tr>
                <th>{t('common.name')}</th>
                <th>{t('common.cluster')}</th>
                <th>{t('common.state')}</th>
                <th>{t('nodes.col.flags')}</th>
                <th>{t('nodes.col.reason')}</th>
                <th>{t('common.cpus')}</th>
                <th>{t('common.gpus')}</th>
                <th>{t('common.partition')}</th>
              </tr>
            </thead>
            <tbody>
              {reply.items.map((n) => (
                <tr key={`${n.cluster}/${n.name}`} class={n.removed ? 'muted' : ''}>
                  <td>
                    <Link href={`/nodes/${segment(n.cluster)}/${segment(n.name)}`}>{n.name}</Link>
                  </td>
                  <td>{n.cluster}</td>
                  <td>
                    <StateBadge state={n.state} />
                  </td>
                  <td>
                    {n.flags.map((flag) => (
                      <StateBadge key={flag} state={flag} />
                    ))}
                  </td>
                  <td>
                    {n.reason}
                    {n.reasonSetBy && <small> ({t('event.setBy', { who: n.reasonSetBy })})</small>}
                  </td>
                  <td>
                    {n.cpusAllocated}/{n.cpus}
                  </td>
                  <td>
                    {n.gpus > 0
                      ? `${n.gpusAllocated}/${n.gpus}${n.gpuType ? ` ${n.gpuType}` : ''}`
                      : '—'}
                  </td>
                  <td>{n.partitions.join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={reply.page ?? 1} limit={reply.limit} total={reply.total} hrefOf={pageHref} />
        </>
      )}
    </section>
  );
}

import type { JobView, ListReply, NodeHistory, NodeView } from '../api/types.js';
import { Pending } from '../components/error-box.js';
import { Fields } from '../components/fields.js';
import { Link } from '../components/link.js';
import { StateBadge } from '../components/state-badge.js';
import { Timeline } from '../components/timeline.js';
import { UsageBar } from '../components/usage-bar.js';
import { useFormat } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useLiveRefresh } from '../live.js';
import { href, segment } from '../router.js';
import { useApi } from '../use-api.js';

const JOBS_SHOWN = 25;

export function NodePage(props: { readonly cluster: string; readonly name: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const base = `/nodes/${segment(props.cluster)}/${segment(props.name)}`;
  const node = useApi<NodeView>(base);
  const history = useApi<NodeHistory>(`${base}/history`);
  const jobsQuery = { cluster: props.cluster, node: props.name, sort: 'startTime', order: 'desc' };
  const jobs = useApi<ListReply<JobView>>(
    href('/jobs', { ...jobsQuery, limit: String(JOBS_SHOWN) }),
  );
  useLiveRefresh(
    (c) =>
      c.cluster === props.cluster &&
      ((c.kind === 'node' && c.key === props.name) || c.kind === 'job'),
    () => {
      node.reload();
      history.reload();
      jobs.reload();
    },
    [props.cluster, props.name],
  );
  const n = node.data;
  if (!n) return <Pending loaded={node} retry />;
  return (
    <section data-testid="node">
      <h1>
        {t('node.title', { name: n.name, cluster: n.cluster })} <StateBadge state={n.state} />{' '}
        {n.flags.map((flag) => (
          <StateBadge key={flag} state={flag} />
        ))}
      </h1>
      {n.removed && <p class="warning">{t('node.removed')}</p>}
      {n.reason && (
        <p class="warning">
          {t('node.reasonBy', {
            reason: n.reason,
            who: n.reasonSetBy ?? '?',
            since: f.time(n.reasonSince),
          })}
        </p>
      )}
      <div class="columns">
        <div>
          <h2>{t('node.fields')}</h2>
          <Fields
            rows={[
              [t('common.cpus'), <UsageBar used={n.cpusAllocated} total={n.cpus} />],
              [
                t('common.gpus'),
                n.gpus > 0 ? <UsageBar used={n.gpusAllocated} total={n.gpus} /> : null,
              ],
              [t('node.gpuType'), n.gpuType],
              [t('node.memory'), <UsageBar used={n.memoryAllocatedMB} total={n.memoryMB} />],
              [t('common.partition'), n.partitions.join(', ')],
              [t('node.features'), n.features.join(', ')],
              ['updatedAt', f.time(n.updatedAt)],
            ]}
          />
        </div>
        <div>
          <h2>{t('node.jobs')}</h2>
          {!jobs.data ? (
            <Pending loaded={jobs} />
          ) : jobs.data.items.length === 0 ? (
            <p>{t('common.empty')}</p>
          ) : (
            <>
              <ul class="job-list">
                {jobs.data.items.map((j) => (
                  <li key={j.stream}>
                    <Link href={`/jobs/${segment(j.cluster)}/${segment(j.jobId)}`}>{j.jobId}</Link>{' '}
                    <StateBadge state={j.state} /> {j.name} · {j.user} · {f.time(j.startTime)}
                  </li>
                ))}
              </ul>
              {jobs.data.total > jobs.data.items.length && (
                <Link href={href('/jobs', jobsQuery)}>
                  {t('common.showAll')} ({f.number(jobs.data.total)})
                </Link>
              )}
            </>
          )}
        </div>
      </div>
      <h2>{t('node.history')}</h2>
      {history.data ? <Timeline events={history.data.events} /> : <Pending loaded={history} />}
    </section>
  );
}

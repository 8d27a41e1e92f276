import { ApiError } from '../api/client.js';
import type { HistoryEntry, JobHistory, JobPendingTime, JobView } from '../api/types.js';
import { Pending } from '../components/error-box.js';
import { Fields } from '../components/fields.js';
import { Link } from '../components/link.js';
import { StateBadge } from '../components/state-badge.js';
import { Timeline } from '../components/timeline.js';
import { useFormat } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useLiveRefresh } from '../live.js';
import { segment } from '../router.js';
import { useApi, type Loaded } from '../use-api.js';

type Resources = JobView['requested'];

const resources = (r: Resources): string =>
  [
    r.cpus !== null ? `${r.cpus} CPU` : null,
    r.gpus ? `${r.gpus} GPU` : null,
    r.memoryMB !== null ? `${r.memoryMB} MB` : null,
    r.nodes !== null ? `${r.nodes} node(s)` : null,
  ]
    .filter(Boolean)
    .join(', ');

/**
 * The pipeline task that submitted the job, when its history says so: the orchestrator's commands
 * carry the task's stream (`pipeline-…`) as correlation or causation id through to the job's events.
 */
export function pipelineOf(events: readonly HistoryEntry[]): string | undefined {
  for (const entry of events) {
    for (const id of [entry.correlationId, entry.causationId]) {
      if (id.startsWith('pipeline-')) return id;
    }
  }
  return undefined;
}

export function JobPage(props: { readonly cluster: string; readonly jobId: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const base = `/jobs/${segment(props.cluster)}/${segment(props.jobId)}`;
  const job = useApi<JobView>(base);
  const history = useApi<JobHistory>(`${base}/history`);
  const pending = useApi<JobPendingTime>(`${base}/pending-time`);
  const userProps = useApi<{ props: Record<string, unknown> }>(`${base}/user-props`);
  useLiveRefresh(
    (change) =>
      change.kind === 'job' && change.cluster === props.cluster && change.key === props.jobId,
    () => {
      job.reload();
      history.reload();
      pending.reload();
    },
    [props.cluster, props.jobId],
  );

  const j = job.data;
  if (!j) return <Pending loaded={job} retry />;
  const pipeline = history.data ? pipelineOf(history.data.events) : undefined;
  const jobsOfArray = `/jobs?cluster=${encodeURIComponent(j.cluster)}&arrayJobId=${encodeURIComponent(j.arrayJobId ?? '')}`;

  return (
    <section class="job" data-testid="job">
      <h1>
        {t('job.title', { jobId: j.jobId, cluster: j.cluster })} <StateBadge state={j.state} />
      </h1>
      {pipeline && (
        <p data-testid="pipeline">
          {t('job.pipeline')}: <code>{pipeline}</code>
        </p>
      )}
      <div class="columns">
        <div>
          <h2>{t('job.fields')}</h2>
          <Fields
            rows={[
              ['cluster', j.cluster],
              ['jobId', j.jobId],
              ['arrayJobId', j.arrayJobId ? <Link href={jobsOfArray}>{j.arrayJobId}</Link> : null],
              ['arrayTaskId', j.arrayTaskId],
              ['name', j.name],
              ['user', j.user],
              ['account', j.account],
              ['partition', j.partition],
              ['qos', j.qos],
              ['state', j.state],
              ['stateReason', j.stateReason],
              ['exitCode', j.exitCode],
              ['signal', j.signal],
              ['submitTime', f.time(j.submitTime)],
              ['eligibleTime', f.time(j.eligibleTime)],
              ['startTime', f.time(j.startTime)],
              ['endTime', f.time(j.endTime)],
              ['timeLimitMinutes', j.timeLimitMinutes],
              [
                'nodes',
                j.nodes && !/[[,]/.test(j.nodes) ? (
                  <Link href={`/nodes/${segment(j.cluster)}/${segment(j.nodes)}`}>{j.nodes}</Link>
                ) : (
                  j.nodes
                ),
              ],
              [`requested`, resources(j.requested)],
              [`allocated`, resources(j.allocated)],
              ['workDir', j.workDir],
              ['stdout', j.stdout],
              ['stderr', j.stderr],
              ['comment', j.comment],
              ['restartCount', j.restartCount],
              ['updatedAt', f.time(j.updatedAt)],
              ['stream', <code>{j.stream}</code>],
              ['position', j.position],
            ]}
          />
        </div>
        <div>
          <h2>{t('job.pending')}</h2>
          {pending.data ? <PendingTime pending={pending.data} /> : <Pending loaded={pending} />}
          <h2>{t('job.userProps')}</h2>
          <UserProps loaded={userProps} />
        </div>
      </div>
      <h2>{t('job.timeline')}</h2>
      {history.data ? (
        <Timeline events={history.data.events} />
      ) : (
        <Pending loaded={history} retry />
      )}
    </section>
  );
}

function PendingTime(props: { readonly pending: JobPendingTime }) {
  const { t } = useI18n();
  const f = useFormat();
  const { pending } = props;
  if (pending.totalSeconds === 0 && !pending.pending) return <p>{t('job.pending.never')}</p>;
  const longest = Math.max(...pending.byReason.map((r) => r.seconds), 1);
  return (
    <div data-testid="pending-time">
      <p>
        {t('job.pending.total', { duration: f.duration(pending.totalSeconds) })}{' '}
        {pending.pending ? t('job.pending.still') : ''}
      </p>
      <table class="reasons">
        <tbody>
          {pending.byReason.map((r) => (
            <tr key={r.reason}>
              <th>{r.reason}</th>
              <td class="bar-cell">
                <div class="bar">
                  <div style={{ width: `${((100 * r.seconds) / longest).toFixed(1)}%` }} />
                </div>
              </td>
              <td>{f.duration(r.seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserProps(props: { readonly loaded: Loaded<{ props: Record<string, unknown> }> }) {
  const { t } = useI18n();
  const { data, error } = props.loaded;
  if (error instanceof ApiError && (error.status === 404 || error.status === 501)) {
    return <p class="muted">{t('job.userProps.unavailable')}</p>;
  }
  if (!data) return <Pending loaded={props.loaded} />;
  const entries = Object.entries(data.props ?? {});
  if (entries.length === 0) return <p class="muted">{t('job.userProps.none')}</p>;
  return (
    <Fields
      rows={entries.map(
        ([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)] as const,
      )}
    />
  );
}

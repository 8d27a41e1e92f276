import { useState } from 'preact/hooks';
import type { JobSortField, JobView, ListReply } from '../api/types.js';
import { Pending } from '../components/error-box.js';
import { Link } from '../components/link.js';
import { Pager, pageHrefs } from '../components/pager.js';
import { ClusterSelect, Select } from '../components/select.js';
import { StateBadge } from '../components/state-badge.js';
import { formFields } from '../form-fields.js';
import { useFormat } from '../format.js';
import { useI18n, type MessageKey } from '../i18n/i18n.js';
import { useLiveRefresh } from '../live.js';
import { jobsApiPath } from '../jobs-query.js';
import { href, navigate, segment, useLocation } from '../router.js';
import { useSettings } from '../settings.js';
import { useApi } from '../use-api.js';

/** The state filter's choices: the API's groups first, then Slurm's states. */
const STATE_CHOICES = [
  'pending',
  'running',
  'finished',
  'failed',
  'PENDING',
  'RUNNING',
  'COMPLETING',
  'COMPLETED',
  'CANCELLED',
  'FAILED',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'NODE_FAIL',
  'PREEMPTED',
  'SUSPENDED',
] as const;

const SORTS = [
  'submitTime',
  'startTime',
  'endTime',
  'updatedAt',
  'jobId',
  'user',
  'state',
] as const satisfies readonly JobSortField[];

/** Filters typed into the form; everything else in the URL (state lists, ranges) is kept as is. */
const TEXT_FILTERS: readonly (readonly [string, MessageKey])[] = [
  ['user', 'common.user'],
  ['account', 'jobs.filter.account'],
  ['partition', 'common.partition'],
  ['node', 'jobs.filter.node'],
];

export function JobsPage() {
  const { t } = useI18n();
  const f = useFormat();
  const { settings } = useSettings();
  const { query } = useLocation();
  const path = jobsApiPath(query, settings.itemsPerPage);
  const jobs = useApi<ListReply<JobView>>(path);
  const cluster = query.get('cluster');
  useLiveRefresh(
    (change) => change.kind === 'job' && (!cluster || change.cluster === cluster),
    jobs.reload,
    [],
  );

  const go = (change: Record<string, string>): void => {
    const next = new URLSearchParams(query);
    for (const [name, value] of Object.entries(change)) next.set(name, value);
    next.delete('page');
    next.delete('cursor');
    navigate(href('/jobs', next));
  };
  const sortHref = (field: string): string => {
    const next = new URLSearchParams(query);
    const same = (query.get('sort') ?? '') === field;
    next.set('sort', field);
    next.set('order', same && query.get('order') !== 'asc' ? 'asc' : 'desc');
    next.delete('page');
    next.delete('cursor');
    return href('/jobs', next);
  };
  const pageHref = pageHrefs('/jobs', query);

  const reply = jobs.data;
  const limit = reply?.limit ?? settings.itemsPerPage;
  const page = reply?.page ?? Number(query.get('page') ?? '1');
  const sorted = query.get('sort');
  const arrow = (field: string): string =>
    sorted === field ? (query.get('order') === 'asc' ? ' ▲' : ' ▼') : '';
  const header = (field: string | null, label: MessageKey) => (
    <th>{field ? <Link href={sortHref(field)}>{t(label) + arrow(field)}</Link> : t(label)}</th>
  );

  return (
    <section>
      <h1>{t('jobs.title')}</h1>
      <SearchBox
        key={query.get('q') ?? ''}
        initial={query.get('q') ?? ''}
        onSearch={(q) => go({ q })}
      />
      <form
        class="filters"
        data-testid="job-filters"
        key={query.toString()}
        onSubmit={(e) => {
          e.preventDefault();
          go(formFields(e.currentTarget));
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
            testId="state-filter"
            current={query.get('state') ?? ''}
            choices={[
              ['', t('jobs.filter.anyState')],
              ...STATE_CHOICES.map((s) => [s, s] as const),
            ]}
          />
        </label>
        {TEXT_FILTERS.map(([name, label]) => (
          <label key={name}>
            {t(label)}
            <input name={name} defaultValue={query.get(name) ?? ''} size={10} />
          </label>
        ))}
        <label>
          {t('jobs.filter.submittedFrom')}
          <input
            name="submittedFrom"
            defaultValue={query.get('submittedFrom') ?? ''}
            placeholder="2026-01-31"
            size={12}
          />
        </label>
        <label>
          {t('jobs.filter.submittedTo')}
          <input
            name="submittedTo"
            defaultValue={query.get('submittedTo') ?? ''}
            placeholder="2026-01-31T08:00Z"
            size={12}
          />
        </label>
        <label>
          {t('jobs.sort')}
          <Select
            name="sort"
            current={query.get('sort') ?? ''}
            choices={[['', ''], ...SORTS.map((s) => [s, s] as const)]}
          />
        </label>
        <label>
          <span class="sr-only">order</span>
          <Select
            name="order"
            current={query.get('order') ?? ''}
            choices={[
              ['', ''],
              ['desc', t('jobs.order.desc')],
              ['asc', t('jobs.order.asc')],
            ]}
          />
        </label>
        <button type="submit">{t('common.apply')}</button>
        <button type="button" onClick={() => navigate('/jobs')}>
          {t('common.clear')}
        </button>
      </form>

      {!reply ? (
        <Pending loaded={jobs} retry />
      ) : (
        <>
          <p class="count" data-testid="jobs-total">
            {t('jobs.count', { total: f.number(reply.total) })}
          </p>
          {reply.items.length === 0 ? (
            <p>{t('common.empty')}</p>
          ) : (
            <table data-testid="jobs-table" class={jobs.loading ? 'refreshing' : ''}>
              <thead>
                <tr>
                  {header('jobId', 'jobs.col.job')}
                  {header(null, 'common.cluster')}
                  {header(null, 'jobs.col.name')}
                  {header('user', 'common.user')}
                  {header(null, 'jobs.col.account')}
                  {header(null, 'common.partition')}
                  {header('state', 'common.state')}
                  {header('submitTime', 'jobs.col.submitted')}
                  {header('startTime', 'jobs.col.started')}
                  {header('endTime', 'jobs.col.ended')}
                  {header(null, 'common.nodes')}
                </tr>
              </thead>
              <tbody>
                {reply.items.map((job) => (
                  <tr key={job.stream} data-job-id={job.jobId} data-state={job.state}>
                    <td>
                      <Link href={`/jobs/${segment(job.cluster)}/${segment(job.jobId)}`}>
                        {job.jobId}
                      </Link>
                    </td>
                    <td>{job.cluster}</td>
                    <td>{job.name}</td>
                    <td>{job.user}</td>
                    <td>{job.account}</td>
                    <td>{job.partition}</td>
                    <td>
                      <StateBadge state={job.state} /> <small>{job.stateReason}</small>
                    </td>
                    <td class="time">{f.time(job.submitTime)}</td>
                    <td class="time">{f.time(job.startTime)}</td>
                    <td class="time">{f.time(job.endTime)}</td>
                    <td>{job.nodes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {query.has('cursor') ? null : (
            <Pager page={page} limit={limit} total={reply.total} hrefOf={pageHref} />
          )}
        </>
      )}
    </section>
  );
}

function SearchBox(props: { readonly initial: string; readonly onSearch: (q: string) => void }) {
  const { t } = useI18n();
  const [q, setQ] = useState(props.initial);
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch(q);
      }}
    >
      <input
        type="search"
        name="q"
        data-testid="job-search"
        placeholder={t('jobs.search')}
        aria-label={t('jobs.search')}
        value={q}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      <button type="submit">{t('jobs.search.button')}</button>
    </form>
  );
}

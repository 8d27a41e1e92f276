import type { HistoryEntry } from '../api/types.js';
import { useFormat } from '../format.js';
import { useI18n, type Translate } from '../i18n/i18n.js';

type Data = Readonly<Record<string, unknown>>;

const text = (value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);

/** One line saying what an event of a job's or node's history changed. */
export function describeEvent(entry: HistoryEntry, t: Translate): string {
  const d: Data = entry.data;
  switch (entry.type) {
    case 'JobSubmitted': {
      const record = (d['record'] ?? {}) as Data;
      return record['stateReason']
        ? t('event.submitted', { reason: text(record['stateReason']) })
        : t('event.submittedPlain');
    }
    case 'JobStateChanged': {
      const change = t('event.stateChanged', { from: text(d['from']), to: text(d['to']) });
      return d['reason'] ? `${change} (${text(d['reason'])})` : change;
    }
    case 'JobPendingReasonChanged':
      return t('event.pendingReason', { from: text(d['from']), to: text(d['to']) });
    case 'JobStarted':
      return t('event.started', { nodes: text(d['nodes']) });
    case 'JobRequeued':
      return t('event.requeued', { state: text(d['previousState']) });
    case 'JobEnded': {
      const parts = [t('event.ended', { state: text(d['state']) })];
      if (typeof d['exitCode'] === 'number') parts.push(t('event.exit', { code: d['exitCode'] }));
      if (typeof d['signal'] === 'number') parts.push(t('event.signal', { signal: d['signal'] }));
      if (d['reason']) parts.push(text(d['reason']));
      return parts.join(', ');
    }
    case 'JobResourcesChanged':
    case 'NodeResourcesChanged': {
      const changes = (d['changes'] ?? {}) as Readonly<
        Record<string, { from: unknown; to: unknown }>
      >;
      return t('event.resources', {
        changes: Object.entries(changes)
          .map(([field, c]) => `${field} ${text(c.from)} → ${text(c.to)}`)
          .join(', '),
      });
    }
    case 'JobLeftController':
      return t('event.leftController', { state: text(d['lastState']) });
    case 'NodeAdded': {
      const record = (d['record'] ?? {}) as Data;
      return t('event.nodeAdded', { state: text(record['state']) });
    }
    case 'NodeStateChanged': {
      const flags = (value: unknown): string =>
        Array.isArray(value) && value.length > 0 ? `+${value.join('+')}` : '';
      const parts = [
        t('event.nodeState', {
          from: `${text(d['fromState'])}${flags(d['fromFlags'])}`,
          to: `${text(d['toState'])}${flags(d['toFlags'])}`,
        }),
      ];
      if (d['reason']) parts.push(text(d['reason']));
      if (d['reasonSetBy']) parts.push(t('event.setBy', { who: text(d['reasonSetBy']) }));
      return parts.join(', ');
    }
    case 'NodeAllocationChanged':
      return t('event.nodeAllocation', {
        cpus: text(d['cpusAllocated']),
        gpus: text(d['gpusAllocated']),
      });
    case 'NodeRemoved':
      return t('event.nodeRemoved', { state: text(d['lastState']) });
    default:
      return entry.type;
  }
}

const timeOf = (entry: HistoryEntry): string => entry.slurmTime ?? entry.occurredAt;

/**
 * Every recorded change with its times (Slurm's, and when Clocktower observed it) and reason, in the
 * order of Slurm's times: one poll can observe a start and an end together, and the store keeps
 * them in the order they were written. Changes of the same time keep the store's order.
 */
export function Timeline(props: { readonly events: readonly HistoryEntry[] }) {
  const { t } = useI18n();
  const f = useFormat();
  if (props.events.length === 0) return <p>{t('job.timeline.empty')}</p>;
  const events = [...props.events].sort((a, b) => Date.parse(timeOf(a)) - Date.parse(timeOf(b)));
  return (
    <ol class="timeline" data-testid="timeline">
      {events.map((entry) => (
        <li key={entry.eventId} data-type={entry.type}>
          <time dateTime={entry.slurmTime ?? entry.occurredAt}>
            {f.time(entry.slurmTime ?? entry.occurredAt)}
          </time>
          <span class="event-type">{entry.type}</span>
          <span class="event-text">{describeEvent(entry, t)}</span>
          <small>
            {t('job.observed', { time: f.time(entry.occurredAt) })}
            {entry.slurmTime ? ` · ${t('job.slurmTime', { time: f.time(entry.slurmTime) })}` : ''}
          </small>
        </li>
      ))}
    </ol>
  );
}

const GROUPS: Readonly<Record<string, string>> = {
  PENDING: 'pending',
  REQUEUED: 'pending',
  RUNNING: 'running',
  COMPLETING: 'running',
  COMPLETED: 'ok',
  IDLE: 'ok',
  MIXED: 'running',
  ALLOCATED: 'running',
  CANCELLED: 'muted',
  DOWN: 'bad',
  DRAIN: 'warn',
};

/** A Slurm state as Slurm spells it (not translated: it is Slurm's vocabulary), coloured by kind. */
export function StateBadge(props: { readonly state: string }) {
  const kind =
    GROUPS[props.state] ??
    (/FAIL|TIMEOUT|MEMORY|DEADLINE|ERROR/.test(props.state) ? 'bad' : 'muted');
  return <span class={`badge badge-${kind}`}>{props.state}</span>;
}

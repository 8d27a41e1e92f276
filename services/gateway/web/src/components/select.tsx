import type { ClusterView } from '../api/types.js';
import { useApi } from '../use-api.js';

/**
 * An uncontrolled select for filter forms (keyed by the URL, so remounted when it changes): a live
 * refresh re-renders the page without undoing what the user is choosing. A current value that is
 * not among the choices (typed into the URL) is shown as it is, for the API to judge.
 */
export function Select(props: {
  readonly name: string;
  readonly current: string;
  readonly choices: readonly (readonly [value: string, label: string])[];
  readonly testId?: string;
}) {
  const known = props.choices.some(([value]) => value === props.current);
  const choices = known
    ? props.choices
    : [...props.choices, [props.current, props.current] as const];
  return (
    <select name={props.name} data-testid={props.testId}>
      {choices.map(([value, label]) => (
        <option key={value} value={value} selected={value === props.current}>
          {label}
        </option>
      ))}
    </select>
  );
}

/** The cluster filter of a list page: the clusters the caller may see, and "any". */
export function ClusterSelect(props: { readonly current: string; readonly anyLabel: string }) {
  const clusters = useApi<{ items: ClusterView[] }>('/clusters');
  return (
    <Select
      name="cluster"
      current={props.current}
      choices={[
        ['', props.anyLabel],
        ...(clusters.data?.items ?? []).map((c) => [c.cluster, c.cluster] as const),
      ]}
    />
  );
}

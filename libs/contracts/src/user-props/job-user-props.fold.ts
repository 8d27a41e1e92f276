import { type JobUserPropsDeleted, JobUserPropsSet } from './job-user-props.events.js';

export type JobUserProps = Readonly<Record<string, unknown>>;

export type JobUserPropsEvent =
  | { readonly type: typeof JobUserPropsSet.type; readonly data: Pick<JobUserPropsSet, 'updates'> }
  | {
      readonly type: typeof JobUserPropsDeleted.type;
      readonly data: Pick<JobUserPropsDeleted, 'keys'>;
    };

/**
 * The props after one event: a set merges its keys one level deep (a value replaces the old one
 * whole), a delete drops its keys. Built with fresh objects (no Object.assign, no `props[key] =`),
 * so a key named `__proto__` is an ordinary key, never the prototype.
 */
export function evolveJobUserProps(props: JobUserProps, event: JobUserPropsEvent): JobUserProps {
  if (event.type === JobUserPropsSet.type) return { ...props, ...event.data.updates };
  const gone = new Set(event.data.keys);
  return Object.fromEntries(Object.entries(props).filter(([key]) => !gone.has(key)));
}

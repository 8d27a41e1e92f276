import { FINAL_JOB_STATES, JobState } from '../slurm/job-record.js';

/**
 * Named groups of job states, accepted wherever a state filter is (`state=pending,FAILED`). A group
 * name is lowercase; a Slurm state is in capitals.
 */
export const JOB_STATE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  pending: [JobState.Pending, JobState.Requeued],
  running: [
    JobState.Running,
    JobState.Completing,
    JobState.Suspended,
    JobState.StageOut,
    JobState.Stopped,
    JobState.Resizing,
  ],
  finished: [...FINAL_JOB_STATES],
  failed: [
    JobState.Failed,
    JobState.Timeout,
    JobState.NodeFail,
    JobState.BootFail,
    JobState.Deadline,
    JobState.OutOfMemory,
  ],
};

export type JobStateGroup = keyof typeof JOB_STATE_GROUPS;

/** Every state a filter may name, groups first. */
export const JOB_STATE_FILTER_VALUES: readonly string[] = [
  ...Object.keys(JOB_STATE_GROUPS),
  ...Object.values(JobState),
];

/** Expands groups into states, keeps states as they are, removes repeats. */
export function expandJobStates(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const group = JOB_STATE_GROUPS[value];
    if (group) for (const state of group) out.add(state);
    else out.add(value);
  }
  return [...out];
}

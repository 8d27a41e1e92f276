/** Which Slurm command an output came from. */
export const SlurmCommandKind = {
  Squeue: 'squeue',
  Sacct: 'sacct',
  Sinfo: 'sinfo',
  ScontrolJobs: 'scontrol-jobs',
  ScontrolNodes: 'scontrol-nodes',
} as const;
export type SlurmCommandKind = (typeof SlurmCommandKind)[keyof typeof SlurmCommandKind];

export const OutputFormat = { Json: 'json', Text: 'text' } as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

/**
 * What a source hands the parsers: the bytes one Slurm command printed (or slurmrestd answered),
 * and when. Sources never interpret output; parsers never do I/O.
 */
export interface RawOutput {
  readonly kind: SlurmCommandKind;
  readonly format: OutputFormat;
  readonly body: string;
  /** When the command was run (ISO 8601): the `observedAt` of what is derived from it. */
  readonly observedAt: string;
}

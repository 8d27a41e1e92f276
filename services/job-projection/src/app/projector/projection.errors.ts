export const ProjectionErrorCode = {
  UnknownProjection: 'UNKNOWN_PROJECTION',
  RebuildAborted: 'REBUILD_ABORTED',
} as const;
export type ProjectionErrorCode = (typeof ProjectionErrorCode)[keyof typeof ProjectionErrorCode];

/** A projection name this service does not keep (the gateway answers 404). */
export class UnknownProjectionError extends Error {
  readonly code = ProjectionErrorCode.UnknownProjection;

  constructor(
    readonly projection: string,
    readonly known: readonly string[],
  ) {
    super(`no projection named ${JSON.stringify(projection)}; known: ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

/** The service stopped while a rebuild ran: the half-built model is thrown away. */
export class RebuildAbortedError extends Error {
  readonly code = ProjectionErrorCode.RebuildAborted;

  constructor() {
    super('the rebuild was stopped before it finished; the active read model is unchanged');
    this.name = 'RebuildAbortedError';
  }
}

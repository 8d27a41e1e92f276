import {
  JOB_USER_PROPS_EVENTS,
  MessageRegistry,
  createMessage,
  evolveJobUserProps,
  jobUserPropsStream,
  parseAs,
  type JobUserProps,
  type MessageClass,
} from '@clocktower/contracts';
import { WrongExpectedRevisionError, type EventStore } from '@clocktower/event-store';
import {
  decideJobUserProps,
  type JobUserPropsCommand,
  type JobUserPropsRef,
} from '../../domain/job-user-props.decider.js';

/** Conflicting appends are re-read and decided again this many times before giving up. */
export const MAX_PROPS_WRITE_ATTEMPTS = 5;

const registry = new MessageRegistry().register(...JOB_USER_PROPS_EVENTS);
const classes = new Map<string, MessageClass>(JOB_USER_PROPS_EVENTS.map((c) => [c.type, c]));

export class JobUserPropsConflictError extends Error {
  readonly code = 'JOB_USER_PROPS_CONFLICT';
  constructor(stream: string, attempts: number, options?: ErrorOptions) {
    super(`${stream}: still conflicting after ${attempts} attempts`, options);
    this.name = 'JobUserPropsConflictError';
  }
}

export interface JobUserPropsChange {
  readonly props: JobUserProps;
  /** Where the change was stored; null when there was nothing to change. */
  readonly position: bigint | null;
}

/**
 * A user's props on a job, in its `jobprops-…` stream: read by folding the stream (the truth a
 * change is decided on; reads for display come from the projection), changed by appending with the
 * revision that was read. A concurrent writer makes the append fail: re-read, decide again, never
 * force.
 */
export class JobUserPropsStore {
  constructor(private readonly store: EventStore) {}

  async read(ref: JobUserPropsRef): Promise<{ props: JobUserProps; revision: number | undefined }> {
    const stream = jobUserPropsStream(ref.cluster, ref.jobId, ref.userId);
    let props: JobUserProps = {};
    let revision: number | undefined;
    for await (const recorded of this.store.readStream(stream)) {
      const message = registry.parse(recorded, `event ${stream}@${recorded.revision}`);
      props = evolveJobUserProps(props, message as Parameters<typeof evolveJobUserProps>[1]);
      revision = recorded.revision;
    }
    return { props, revision };
  }

  async change(
    ref: JobUserPropsRef,
    command: JobUserPropsCommand,
    correlationId: string,
  ): Promise<JobUserPropsChange> {
    const stream = jobUserPropsStream(ref.cluster, ref.jobId, ref.userId);
    for (let attempt = 1; ; attempt++) {
      const { props, revision } = await this.read(ref);
      const events = decideJobUserProps(ref, props, command);
      if (events.length === 0) return { props, position: null };
      const messages = events.map((event) => {
        const cls = classes.get(event.type)!;
        parseAs(cls, event.data, event.type);
        return createMessage(cls, event.data, { correlationId });
      });
      try {
        const result = await this.store.append(stream, messages, {
          expectedRevision: revision ?? 'no_stream',
        });
        return { props: events.reduce(evolveJobUserProps, props), position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_PROPS_WRITE_ATTEMPTS)
          throw new JobUserPropsConflictError(stream, attempt, { cause: error });
      }
    }
  }
}

import {
  createMessage,
  JobSubmissionAccepted,
  JobSubmissionRejected,
  JobSubmissionRequested,
  streamName,
  type CancelJob,
  type CancelJobReply,
  type Message,
  type SubmitJob,
  type SubmitJobReply,
} from '@clocktower/contracts';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '@clocktower/event-store';
import { SlurmSourceError, type SlurmSource } from '../../adapters/sources/slurm-source.port.js';

/** A command that cannot be carried out; `code` travels back to the requester. */
export class SlurmCommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SlurmCommandError';
  }
}

export interface CommandTarget {
  readonly source: SlurmSource;
  /** The job's next observed change carries this command's correlation. */
  expectChange(jobId: string, cause: Pick<Message, 'eventId' | 'correlationId'>): void;
}

/** How long a duplicate waits for the first attempt of the same command to finish. */
const DUPLICATE_WAIT_MS = 30_000;

/**
 * Submits and cancels jobs for the orchestrator and the API. A submission is claimed in the store
 * (`command-<id>`, expected revision no_stream) before sbatch runs, so the same command sent twice
 * makes one job: the second gets the first one's job id, or its error.
 */
export class JobSubmitter {
  constructor(
    private readonly store: EventStore,
    private readonly clusters: (cluster: string) => CommandTarget | undefined,
  ) {}

  async submit(command: Message<SubmitJob>): Promise<SubmitJobReply> {
    const { cluster, ...request } = command.data;
    const target = this.target(cluster);
    const stream = streamName('command', command.eventId);
    const outcome = await this.outcome(stream);
    if (outcome) return this.replay(outcome, cluster);
    const meta = { causedBy: command, occurredAt: new Date() };
    try {
      await this.store.append(
        stream,
        [
          createMessage(
            JobSubmissionRequested,
            { cluster, commandId: command.eventId, name: request.name ?? null },
            meta,
          ),
        ],
        {
          expectedRevision: 'no_stream',
        },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // The same command is being carried out right now: wait for its outcome, never submit twice.
      return this.replay(await this.awaitOutcome(stream), cluster);
    }
    try {
      const { jobId } = await target.source.submit(request);
      target.expectChange(jobId, command);
      await this.store.append(
        stream,
        [
          createMessage(
            JobSubmissionAccepted,
            { cluster, commandId: command.eventId, jobId },
            meta,
          ),
        ],
        { expectedRevision: 0 },
      );
      return { cluster, jobId, duplicate: false };
    } catch (error) {
      const code = error instanceof SlurmSourceError ? error.code : 'SUBMIT_FAILED';
      const reason = error instanceof Error ? error.message : String(error);
      await this.store.append(
        stream,
        [
          createMessage(
            JobSubmissionRejected,
            { cluster, commandId: command.eventId, code, reason },
            meta,
          ),
        ],
        { expectedRevision: 0 },
      );
      throw new SlurmCommandError(code, reason, { cause: error });
    }
  }

  async cancel(command: Message<CancelJob>): Promise<CancelJobReply> {
    const { cluster, jobId, signal } = command.data;
    const target = this.target(cluster);
    target.expectChange(jobId, command);
    try {
      await target.source.cancel(signal === undefined ? { jobId } : { jobId, signal });
      return { cluster, jobId, alreadyEnded: false };
    } catch (error) {
      // scancel of a job that has already ended: the wish is fulfilled, not an error.
      if (
        error instanceof SlurmSourceError &&
        /already completing or completed|Invalid job id/i.test(error.message)
      ) {
        return { cluster, jobId, alreadyEnded: true };
      }
      throw new SlurmCommandError(
        error instanceof SlurmSourceError ? error.code : 'CANCEL_FAILED',
        error instanceof Error ? error.message : String(error),
        { cause: error },
      );
    }
  }

  private target(cluster: string): CommandTarget {
    const target = this.clusters(cluster);
    if (!target)
      throw new SlurmCommandError(
        'UNKNOWN_CLUSTER',
        `this collector does not watch a cluster named ${cluster}`,
      );
    return target;
  }

  private async outcome(stream: string): Promise<RecordedEvent | 'requested' | undefined> {
    let last: RecordedEvent | undefined;
    for await (const event of this.store.readStream(stream)) last = event;
    if (!last) return undefined;
    return last.type === JobSubmissionRequested.type ? 'requested' : last;
  }

  private async awaitOutcome(stream: string): Promise<RecordedEvent | 'requested'> {
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    for (;;) {
      const outcome = await this.outcome(stream);
      if (outcome && (outcome !== 'requested' || Date.now() > deadline)) return outcome;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private replay(outcome: RecordedEvent | 'requested', cluster: string): SubmitJobReply {
    if (outcome === 'requested') {
      throw new SlurmCommandError(
        'SUBMISSION_IN_DOUBT',
        'an earlier attempt of this command was interrupted after it was claimed: a job may or may not exist; look for it with squeue before sending a new command',
      );
    }
    if (outcome.type === JobSubmissionAccepted.type)
      return { cluster, jobId: outcome.data['jobId'] as string, duplicate: true };
    throw new SlurmCommandError(outcome.data['code'] as string, outcome.data['reason'] as string);
  }
}

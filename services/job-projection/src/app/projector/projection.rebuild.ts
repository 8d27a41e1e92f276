import type { LoggerService } from '@nestjs/common';
import type { RebuildProgress } from '@clocktower/contracts';
import type { EventStore, RecordedEvent } from '@clocktower/event-store';
import type { ReadModel } from '../../adapters/store/read-model.port.js';
import { RebuildAbortedError } from './projection.errors.js';
import type { ReadModelFiles } from './read-model.files.js';

/**
 * Events folded per transaction while rebuilding: larger than the live batches, since nobody waits
 * for the fresh model's checkpoint and each commit has a fixed cost.
 */
export const DEFAULT_REBUILD_BATCH_SIZE = 5_000;

/** How the rebuilt model takes the active one's place; the projection service or the CLI. */
export interface SwitchOver {
  /** Stops following the store: once resolved, the active model no longer moves. */
  pause(): Promise<void>;
  /**
   * Makes `next` (stored in `file`) the active model, in one synchronous step, and follows the
   * store from its position; the replaced model is closed and its file deleted. When it throws,
   * nothing changed.
   */
  install(next: ReadModel, file: string): void;
  /** After a failed rebuild: follow the store into the active model again. */
  resume(): void;
}

/** The fresh model: it may be opened for bulk loading (fast, not crash-safe) until the replay ends. */
export interface FreshReadModel extends ReadModel {
  /**
   * Makes a bulk-loaded model durable and fit to serve; called once, when the replay has reached
   * the store's end and before the live subscription pauses (the last events fold in normally).
   */
  finishBulkLoad?(): Promise<void> | void;
  /** Closes it when it will not be used, settling once nothing writes beside its file. */
  discard?(): Promise<void>;
  /** Undefined when the next batch may come now; else settles when it may (a bounded backlog). */
  ready?(): Promise<void> | undefined;
}

export interface ProjectionRebuildOptions {
  readonly projection: string;
  readonly store: EventStore;
  readonly files: ReadModelFiles;
  /** Opens the fresh file. Nothing reads it until the switch-over, so it may be bulk-loaded. */
  readonly openModel: (file: string) => FreshReadModel;
  readonly logger: LoggerService;
  readonly clock?: () => Date;
  readonly batchSize?: number;
  /** After each batch folded into the fresh model (the CLI prints from it). */
  readonly onProgress?: (progress: RebuildProgress) => void;
}

interface Tracking {
  readonly startedAt: Date;
  head: bigint;
  eventsDone: number;
  lastPosition: bigint;
  finishedAt: Date | undefined;
  error: string | undefined;
}

/**
 * Rebuilds a read model by replay: a fresh file, the whole store read into it in pages while the
 * active model keeps answering queries and following live events; once the replay reaches the
 * store's end, the fresh model's bulk load ends, the live subscription pauses, the last few events
 * are folded into the fresh model, and it takes the active one's place (SwitchOver.install), which
 * then follows the store from the fresh model's checkpoint. Nothing is lost at the switch: the fresh model's checkpoint is exactly
 * the last event it folded, and the live subscription resumes after it.
 *
 * A fresh file rather than clearing tables in place: the active model keeps answering, unchanged,
 * until the switch; a failed or interrupted rebuild leaves it untouched; and the new file starts
 * compact, with no pages freed by the old data.
 */
export class ProjectionRebuild {
  private tracking: Tracking | undefined;
  private running: Promise<void> | undefined;
  private aborting = false;
  private readonly clock: () => Date;
  private readonly batchSize: number;

  constructor(private readonly options: ProjectionRebuildOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.batchSize = options.batchSize ?? DEFAULT_REBUILD_BATCH_SIZE;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts a rebuild in the background; false when one is running already. */
  start(switchOver: SwitchOver): boolean {
    if (this.running) return false;
    this.aborting = false;
    const tracking: Tracking = {
      startedAt: this.clock(),
      head: 0n,
      eventsDone: 0,
      lastPosition: 0n,
      finishedAt: undefined,
      error: undefined,
    };
    this.tracking = tracking;
    this.running = this.run(tracking, switchOver).finally(() => {
      this.running = undefined;
    });
    return true;
  }

  /** Settles when the running rebuild (if any) has finished, well or not. */
  async whenDone(): Promise<void> {
    await this.running;
  }

  /** Stops a running rebuild and waits for it: the active model stays as it was. */
  async abort(): Promise<void> {
    if (!this.running) return;
    this.aborting = true;
    await this.running;
  }

  /** The rebuild running now, or the last one; null when none ran since start. */
  progress(): RebuildProgress | null {
    const t = this.tracking;
    if (!t) return null;
    const end = t.finishedAt ?? this.clock();
    const seconds = Math.max((end.getTime() - t.startedAt.getTime()) / 1000, 0.001);
    const eventsPerSecond = Math.round(t.eventsDone / seconds);
    // Positions, not counts, measure what is left: EventStoreDB's positions are not event counts.
    const positionsPerSecond = Number(t.lastPosition) / seconds;
    const left = t.head > t.lastPosition ? Number(t.head - t.lastPosition) : 0;
    const etaSeconds = t.finishedAt
      ? 0
      : positionsPerSecond > 0
        ? Math.ceil(left / positionsPerSecond)
        : null;
    return {
      startedAt: t.startedAt.toISOString(),
      eventsDone: t.eventsDone,
      eventsTotal: Number(t.head),
      eventsPerSecond,
      etaSeconds,
      finishedAt: t.finishedAt?.toISOString() ?? null,
      error: t.error ?? null,
    };
  }

  private async run(t: Tracking, switchOver: SwitchOver): Promise<void> {
    const { files, store, logger, projection } = this.options;
    let fresh: FreshReadModel | undefined;
    let file: string | undefined;
    let paused = false;
    let installed = false;
    try {
      for (const orphan of files.orphans()) {
        files.remove(orphan);
        logger.warn({ msg: 'removed a rebuild file left by an interrupted rebuild', file: orphan });
      }
      t.head = await store.headPosition();
      file = files.freshFile(this.clock());
      fresh = this.options.openModel(file);
      logger.log({
        msg: 'rebuild started',
        projection,
        file,
        headPosition: t.head.toString(),
      });
      await this.replay(fresh, t);
      // The bulk load ends (seconds for a million events) while the active model still follows
      // the store; what arrives meanwhile is folded below, into a model that is an ordinary one by
      // then. A crash before the install leaves a file the pointer never named: the next rebuild
      // deletes it.
      await fresh.finishBulkLoad?.();
      paused = true;
      await switchOver.pause();
      // The live subscription is stopped: whatever arrived since the replay's last page is folded
      // here, and the live subscription restarts after it.
      await this.replay(fresh, t);
      switchOver.install(fresh, file);
      installed = true;
      t.finishedAt = this.clock();
      logger.log({
        msg: 'rebuild finished; switched to the rebuilt read model',
        projection,
        file,
        position: t.lastPosition.toString(),
        ...this.progress(),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      try {
        // Awaited: a bulk load's history thread must have stopped before its files are deleted.
        if (!installed && fresh) await (fresh.discard?.() ?? fresh.close());
      } catch {
        // Closing a model that failed is best effort; its file is deleted next.
      }
      // install() changes nothing when it throws, so a file not installed is never in use.
      if (file !== undefined && !installed) files.remove(file);
      // Finished only once cleaned up: until then progress() says it is still running.
      t.error = reason;
      t.finishedAt = this.clock();
      logger.error({
        msg: 'rebuild failed; the active read model is unchanged',
        projection,
        error: t.error,
      });
      if (paused && !installed) switchOver.resume();
    }
  }

  private async replay(fresh: FreshReadModel, t: Tracking): Promise<void> {
    let batch: RecordedEvent[] = [];
    for await (const event of this.options.store.readAll({ fromPosition: fresh.position() })) {
      if (this.aborting) throw new RebuildAbortedError();
      batch.push(event);
      if (batch.length >= this.batchSize) {
        this.apply(fresh, batch, t);
        batch = [];
        await fresh.ready?.();
      }
    }
    if (this.aborting) throw new RebuildAbortedError();
    if (batch.length > 0) this.apply(fresh, batch, t);
  }

  private apply(fresh: ReadModel, batch: readonly RecordedEvent[], t: Tracking): void {
    const { parked } = fresh.applyBatch(batch);
    t.eventsDone += batch.length;
    t.lastPosition = batch[batch.length - 1]!.position;
    for (const event of parked) {
      this.options.logger.warn({
        msg: 'event parked during rebuild: it cannot be folded and is set aside',
        projection: this.options.projection,
        position: event.position.toString(),
        stream: event.stream,
        type: event.type,
        reason: event.reason,
      });
    }
    const progress = this.options.onProgress;
    if (progress) progress(this.progress()!);
  }
}

import type { LoggerService } from '@nestjs/common';
import { ProjectionAdvanced, type ProjectionStatus } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import { BusClient, type MessageBus, type RawJson } from '@clocktower/messaging';
import type { ReadinessCheck } from '@clocktower/platform';
import { DEFAULT_PAGE_CACHE_MB, PageCache } from '../../adapters/bus/page-cache.js';
import type { ProjectionAccess } from '../../adapters/bus/projection-access.js';
import type { ReadModel } from '../../adapters/store/read-model.port.js';
import { SqliteReadModel } from '../../adapters/store/sqlite-read-model.js';
import { LiveSubscriptionRunner, type RetryPolicy } from './live-subscription.runner.js';
import { ProjectionRebuild, type FreshReadModel, type SwitchOver } from './projection.rebuild.js';
import { UnknownProjectionError } from './projection.errors.js';
import type { ReadModelFiles } from './read-model.files.js';

/** The read models this service keeps, by the name RebuildProjection and ListProjections use. */
export const JOBS_PROJECTION = 'jobs';
export const PROJECTION_NAMES: readonly string[] = [JOBS_PROJECTION];

export interface JobsProjectionOptions {
  readonly store: EventStore;
  readonly files: ReadModelFiles;
  readonly logger: LoggerService;
  /** Where ProjectionAdvanced is published; absent (the CLI), nobody is told. */
  readonly bus?: MessageBus;
  /** Opens (creating if need be) a read model file; SqliteReadModel unless a test says otherwise. */
  readonly openModel?: (file: string) => ReadModel;
  readonly clock?: () => Date;
  readonly batchSize?: number;
  readonly rebuildBatchSize?: number;
  readonly retry?: RetryPolicy;
  /** Bytes of job list answers kept while the model does not move (PageCache); default 16 MiB. */
  readonly pageCacheBytes?: number;
}

/** The collector's last good poll is a notification, not an event: a rebuild must carry it over. */
export function carryPollTimes(from: ReadModel, to: ReadModel): void {
  for (const cluster of from.listClusters({})) {
    if (cluster.lastPollAt !== null) to.recordPoll(cluster.cluster, true, cluster.lastPollAt);
  }
}

/**
 * The jobs projection at run time: the active read model (opened from the file the pointer names),
 * the live subscription that keeps it current, and rebuilds that replace it. Queries reach the
 * model through current(); a switch-over is one assignment, between two queries.
 */
export class JobsProjectionService implements ProjectionAccess {
  private model: ReadModel;
  private file: string;
  private started = false;
  private readonly runner: LiveSubscriptionRunner;
  private readonly rebuilder: ProjectionRebuild;
  private readonly client: BusClient | undefined;
  private readonly openModel: (file: string) => ReadModel;
  private readonly openFreshModel: (file: string) => FreshReadModel;
  private readonly clock: () => Date;
  readonly jobPages: PageCache<RawJson>;
  private readonly switchOver: SwitchOver = {
    pause: () => this.runner.stop(),
    install: (next, file) => this.install(next, file),
    resume: () => this.runner.start(this.model),
  };

  constructor(private readonly options: JobsProjectionOptions) {
    this.clock = options.clock ?? (() => new Date());
    const clock = this.clock;
    this.openModel = options.openModel ?? ((file) => SqliteReadModel.open(file, { clock }));
    // Nothing reads a rebuild's file before the switch-over: it is bulk-loaded.
    this.openFreshModel =
      options.openModel ?? ((file) => SqliteReadModel.openFresh(file, { clock }));
    this.client = options.bus ? new BusClient(options.bus) : undefined;
    this.jobPages = new PageCache<RawJson>(
      options.pageCacheBytes ?? DEFAULT_PAGE_CACHE_MB * 2 ** 20,
      (page) => page.bytes().byteLength,
    );
    this.file = options.files.activeFile();
    this.model = this.openModel(this.file);
    this.runner = new LiveSubscriptionRunner({
      projection: JOBS_PROJECTION,
      store: options.store,
      logger: options.logger,
      onAdvanced: (position) => this.advanced(position),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
    });
    this.rebuilder = new ProjectionRebuild({
      projection: JOBS_PROJECTION,
      store: options.store,
      files: options.files,
      openModel: this.openFreshModel,
      logger: options.logger,
      clock: this.clock,
      ...(options.rebuildBatchSize === undefined ? {} : { batchSize: options.rebuildBatchSize }),
    });
  }

  current(): ReadModel {
    return this.model;
  }

  /** The file the active model is stored in. */
  activeFile(): string {
    return this.file;
  }

  now(): Date {
    return this.clock();
  }

  /** Follows the store from the active model's checkpoint. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.options.files.lock('service', this.clock());
    const head = await this.options.store.headPosition();
    const position = this.model.position();
    if (position > head) {
      // Positions are never reused, so a checkpoint past the head means another store (a deleted
      // events.db, a new EventStoreDB): following it would skip its first `position` events.
      this.options.logger.warn({
        msg: 'the read model is ahead of the event store (was the store replaced?); starting from an empty read model',
        projection: JOBS_PROJECTION,
        position: position.toString(),
        headPosition: head.toString(),
      });
      const file = this.options.files.freshFile(this.clock());
      this.install(this.openModel(file), file, false);
      return;
    }
    this.runner.start(this.model);
    this.options.logger.log({
      msg: 'following the event store',
      projection: JOBS_PROJECTION,
      file: this.file,
      position: position.toString(),
      headPosition: head.toString(),
    });
  }

  /** Stops a rebuild (its file is deleted), then the subscription, then closes the model. */
  async stop(): Promise<void> {
    await this.rebuilder.abort();
    await this.runner.stop();
    this.model.close();
    if (this.started) this.options.files.unlock();
    this.started = false;
  }

  recordPoll(cluster: string, ok: boolean, polledAt: string): void {
    this.model.recordPoll(cluster, ok, polledAt);
  }

  async status(): Promise<ProjectionStatus> {
    const head = await this.options.store.headPosition();
    // Read after the await: a switch-over may have happened meanwhile.
    const position = this.model.position();
    const runner = this.runner.state();
    const status: ProjectionStatus['status'] =
      runner.failing !== undefined
        ? 'failed'
        : this.rebuilder.isRunning
          ? 'rebuilding'
          : runner.caughtUp
            ? 'live'
            : 'catching-up';
    return {
      name: JOBS_PROJECTION,
      status,
      position: position.toString(),
      headPosition: head.toString(),
      lag: (head > position ? head - position : 0n).toString(),
      parked: this.model.parkedCount(),
      rebuild: this.rebuilder.progress(),
      pageCache: this.jobPages.stats(),
    };
  }

  async listProjections(): Promise<ProjectionStatus[]> {
    return [await this.status()];
  }

  /** Starts a rebuild in the background; `started: false` while one runs already. */
  async rebuild(name: string): Promise<{ started: boolean; status: ProjectionStatus }> {
    if (!PROJECTION_NAMES.includes(name)) throw new UnknownProjectionError(name, PROJECTION_NAMES);
    const started = this.rebuilder.start(this.switchOver);
    return { started, status: await this.status() };
  }

  /** Settles when the running rebuild, if any, has finished. */
  whenRebuilt(): Promise<void> {
    return this.rebuilder.whenDone();
  }

  /** Readiness: ready while live or catching up; not while batches fail. */
  readinessCheck(): ReadinessCheck {
    return {
      name: 'projection',
      check: async () => {
        const s = await this.status();
        const where = `position ${s.position}, head ${s.headPosition}, lag ${s.lag}`;
        if (s.status === 'failed') {
          throw new Error(`failing, retrying: ${this.runner.state().failing ?? ''}; ${where}`);
        }
        const parked = s.parked > 0 ? `; ${s.parked} parked` : '';
        return `${JOBS_PROJECTION} ${s.status}, ${where}${parked}`;
      },
    };
  }

  /**
   * The switch-over, in one synchronous step so no query sees a mix: the pointer is written first
   * (if that fails, nothing changed), then the model replaced and followed from its checkpoint.
   */
  private install(next: ReadModel, file: string, carryPolls = true): void {
    if (carryPolls) {
      try {
        carryPollTimes(this.model, next);
      } catch (error) {
        this.options.logger.warn({
          msg: 'could not carry the last poll times over to the rebuilt model; the next polls will',
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.options.files.activate(file);
    const old = this.model;
    const oldFile = this.file;
    this.model = next;
    this.file = file;
    this.runner.start(next);
    try {
      old.close();
      if (oldFile !== file) this.options.files.remove(oldFile);
    } catch (error) {
      this.options.logger.warn({
        msg: 'could not delete the replaced read model file',
        file: oldFile,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.advanced(next.position());
  }

  private advanced(position: bigint): void {
    const client = this.client;
    if (!client) return;
    const message = BusClient.envelope(ProjectionAdvanced, {
      projection: JOBS_PROJECTION,
      position: position.toString(),
    });
    // A lost notification costs readers a delay, never data: they fall back to polling.
    client.notify(ProjectionAdvanced.category, message).catch((error: unknown) => {
      this.options.logger.debug?.({
        msg: 'could not publish ProjectionAdvanced',
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }
}

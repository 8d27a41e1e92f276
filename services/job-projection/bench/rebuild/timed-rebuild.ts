import { statSync } from 'node:fs';
import type { LoggerService } from '@nestjs/common';
import type { RebuildProgress } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import {
  ProjectionRebuild,
  ReadModelFiles,
  SqliteReadModel,
  type ReadModel,
  type SwitchOver,
} from '@clocktower/job-projection';
import { log } from '../../../../bench/report.js';

export interface RebuildPass {
  readonly ms: number;
  readonly events: number;
  readonly parked: number;
  readonly position: bigint;
  readonly modelBytes: number;
}

/** Progress no more often than this, so that a long pass says it is alive without flooding. */
const PROGRESS_EVERY_MS = 10_000;

/** The rebuild's logger: quiet, but counts what it was told and keeps errors and warnings. */
class BenchLogger implements LoggerService {
  readonly problems: string[] = [];
  log(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.problems.push(`warn: ${JSON.stringify(message)}`);
  }
  error(message: unknown): void {
    this.problems.push(`error: ${JSON.stringify(message)}`);
  }
  fatal(message: unknown): void {
    this.error(message);
  }
}

/**
 * One rebuild of the jobs read model from the whole store, through the projection's own
 * ProjectionRebuild (what RebuildProjection and the rebuild CLI run): a fresh file, the store read
 * in pages and folded batch by batch, the switch-over. The switch-over here only takes the rebuilt
 * model; the benchmark then closes it and deletes its file, so every pass starts from nothing.
 */
export async function timedRebuild(
  store: EventStore,
  baseFile: string,
  label: string,
): Promise<RebuildPass> {
  const files = new ReadModelFiles(baseFile);
  const logger = new BenchLogger();
  let installed: { model: ReadModel; file: string } | undefined;
  const switchOver: SwitchOver = {
    pause: async () => {},
    install: (model, file) => {
      installed = { model, file };
    },
    resume: () => {},
  };
  let lastPrint = performance.now();
  const started = performance.now();
  const onProgress = (p: RebuildProgress): void => {
    const now = performance.now();
    if (now - lastPrint < PROGRESS_EVERY_MS) return;
    lastPrint = now;
    const rate = p.eventsDone / ((now - started) / 1_000);
    log(
      `    ${label}: ${p.eventsDone.toLocaleString('en-US')} / ${p.eventsTotal.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')}/s, about ${p.etaSeconds ?? '?'} s left`,
    );
  };
  const rebuild = new ProjectionRebuild({
    projection: 'jobs',
    store,
    files,
    // What RebuildProjection and the rebuild CLI open: the measured path is the real one.
    openModel: (file) => SqliteReadModel.openFresh(file),
    logger,
    onProgress,
  });
  rebuild.start(switchOver);
  await rebuild.whenDone();
  const ms = performance.now() - started;
  const progress = rebuild.progress();
  if (!installed || progress?.error) {
    throw new Error(
      `the rebuild failed: ${progress?.error ?? 'nothing was installed'}\n${logger.problems.join('\n')}`,
    );
  }
  const { model, file } = installed;
  const parked = model.parkedCount();
  const position = model.position();
  model.close();
  const modelBytes = statSync(file).size;
  files.remove(file);
  return { ms, events: progress?.eventsDone ?? 0, parked, position, modelBytes };
}

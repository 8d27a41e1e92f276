import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ReadChanges, type ChangeFeed } from '@clocktower/contracts';
import { ProjectionClient } from '../projection.client.js';
import {
  ChangeStream,
  DEFAULT_CHANGE_STREAM_TIMING,
  type ChangeFilter,
  type ChangeSource,
  type ChangeStreamTiming,
} from './change-stream.js';
import { ProjectionAdvances } from './projection-advances.js';

/**
 * The open event streams of this gateway. On shutdown it ends them all, so the HTTP server can
 * close (an open stream would hold it forever) and clients reconnect to another gateway.
 */
@Injectable()
export class ChangeStreams implements OnModuleDestroy {
  private readonly open = new Set<ChangeStream>();
  private readonly source: ChangeSource;
  private readonly timing: ChangeStreamTiming = DEFAULT_CHANGE_STREAM_TIMING;

  constructor(projection: ProjectionClient, advances: ProjectionAdvances) {
    this.source = {
      read: (query: ReadChanges): Promise<ChangeFeed> => projection.ask(ReadChanges, query),
      next: (timeoutMs, signal) => advances.next(timeoutMs, signal),
    };
  }

  get size(): number {
    return this.open.size;
  }

  async serve(response: ServerResponse, filter: ChangeFilter, after: string | null): Promise<void> {
    const stream = new ChangeStream(response, filter, after, this.source, this.timing);
    this.open.add(stream);
    try {
      await stream.run();
    } finally {
      this.open.delete(stream);
    }
  }

  onModuleDestroy(): void {
    for (const stream of this.open) stream.stop();
  }
}

import { session, signalUnauthorized } from './client.js';
import { SseParser } from './sse-parser.js';
import type { ChangeEntry } from './types.js';

export type StreamStatus = 'connecting' | 'live' | 'retrying';

const MAX_BACKOFF_MS = 30_000;

/**
 * The one connection of the page to GET /api/v1/events, read with fetch() so that it can carry the
 * API key, and resumed after a drop with Last-Event-ID: nothing is missed or repeated. Every page
 * subscribes to it; none opens its own.
 */
export class ChangeStream {
  private readonly listeners = new Set<(change: ChangeEntry) => void>();
  private readonly statusListeners = new Set<(status: StreamStatus) => void>();
  private controller: AbortController | undefined;
  private lastEventId = '';
  /** Each start() is a new generation; a loop of an older one ends at its next step. */
  private generation = 0;
  private running = false;
  status: StreamStatus = 'connecting';

  subscribe(listener: (change: ChangeEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.loop(++this.generation);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.controller?.abort();
  }

  private setStatus(status: StreamStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private async loop(generation: number): Promise<void> {
    let backoff = 1_000;
    const current = (): boolean => this.running && generation === this.generation;
    while (current()) {
      let retryMs: number | undefined;
      try {
        retryMs = await this.connect(() => (backoff = 1_000));
      } catch {
        // A network error or a dropped stream: retried below.
      }
      if (!current()) break;
      this.setStatus('retrying');
      await new Promise((resolve) => setTimeout(resolve, retryMs ?? backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  /** One connection, until it ends; returns the server's retry delay. */
  private async connect(onLive: () => void): Promise<number | undefined> {
    const key = session.key();
    if (!key) {
      this.stop();
      return undefined;
    }
    this.controller = new AbortController();
    this.setStatus('connecting');
    const headers: Record<string, string> = {
      Authorization: `Bearer ${key}`,
      Accept: 'text/event-stream',
    };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    const response = await fetch('/api/v1/events', { headers, signal: this.controller.signal });
    if (response.status === 401) {
      this.stop();
      signalUnauthorized();
      return undefined;
    }
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    const parser = new SseParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return parser.retryMs;
      for (const message of parser.push(value)) this.handle(message.event, message.data, onLive);
      if (parser.lastEventId) this.lastEventId = parser.lastEventId;
    }
  }

  private handle(event: string, data: string, onLive: () => void): void {
    if (event === 'ready') {
      onLive();
      this.setStatus('live');
      return;
    }
    if (event === 'error') return;
    let change: ChangeEntry;
    try {
      change = JSON.parse(data) as ChangeEntry;
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(change);
  }
}

export const changeStream = new ChangeStream();

import { SseParser, type SseEvent } from '../../e2e/support/sse-client.js';

/** An open text/event-stream response: its raw text and its parsed events, as they arrive. */
export class EventStream {
  readonly events: SseEvent[] = [];
  raw = '';
  ended = false;
  private readonly parser = new SseParser((event) => this.events.push(event));
  readonly done: Promise<void>;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array> | null,
    private readonly abort: AbortController,
  ) {
    this.done = this.read(body);
  }

  static async open(url: string, headers: Record<string, string>): Promise<EventStream> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    return new EventStream(response.status, response.headers, response.body, abort);
  }

  /** What an EventSource would send as Last-Event-ID on reconnecting. */
  get lastEventId(): string | undefined {
    return this.parser.lastEventId;
  }

  /** The events that are changes (not `ready` or `error`). */
  changes(): SseEvent[] {
    return this.events.filter((e) => e.event !== 'ready' && e.event !== 'error');
  }

  named(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }

  private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    const decoder = new TextDecoder();
    try {
      if (body) {
        for await (const chunk of body) {
          const text = decoder.decode(chunk, { stream: true });
          this.raw += text;
          this.parser.push(text);
        }
      }
    } catch {
      // Aborted by close(), or the server went away: `ended` says so either way.
    } finally {
      this.ended = true;
    }
  }
}

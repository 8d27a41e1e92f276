/** One Server-Sent Event as the stream delivered it. */
export interface SseEvent {
  /** The `id:` field, undefined when the event had none. */
  readonly id: string | undefined;
  /** The `event:` field, `message` when absent (as in the EventSource spec). */
  readonly event: string;
  /** The `data:` lines joined with newlines. */
  readonly data: string;
}

/**
 * Splits a text/event-stream into events, following the HTML spec's parsing rules: lines end in
 * CRLF, LF or CR; a blank line dispatches; `:` starts a comment; one space after the colon is
 * dropped. Fed chunk by chunk: a frame may arrive split anywhere.
 */
export class SseParser {
  private buffer = '';
  private id: string | undefined;
  private event = '';
  private data: string[] = [];
  private hasData = false;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** What an EventSource would send as Last-Event-ID on reconnecting (an `id:` alone moves it). */
  get lastEventId(): string | undefined {
    return this.id;
  }

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.hasData) {
        this.onEvent({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.event = '';
      this.data = [];
      this.hasData = false;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.data.push(value);
      this.hasData = true;
    } else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/** An open SSE response read as it streams; events collect in `events`. */
export class SseConnection {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private ended = false;
  private failure: unknown;
  private readonly parser = new SseParser((event) => this.events.push(event));
  /** Settles when the stream ends or is closed. */
  readonly done: Promise<void>;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array> | null,
  ) {
    this.done = this.read(body);
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseConnection> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    const connection = new SseConnection(response.status, response.headers, response.body);
    connection.controller.signal.addEventListener('abort', () => controller.abort());
    return connection;
  }

  get lastEventId(): string | undefined {
    return this.parser.lastEventId;
  }

  /** True once the server ended the stream (not by close()). */
  get endedByServer(): boolean {
    return this.ended && !this.controller.signal.aborted;
  }

  /** The error that broke the stream, if any (other than close()). */
  get error(): unknown {
    return this.failure;
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (!body) {
      this.ended = true;
      return;
    }
    const parser = this.parser;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) parser.push(decoder.decode(chunk, { stream: true }));
    } catch (error) {
      if (!this.controller.signal.aborted) this.failure = error;
    } finally {
      this.ended = true;
    }
  }
}

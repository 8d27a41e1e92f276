/** One Server-Sent Event as dispatched (a blank line ends it). */
export interface SseMessage {
  readonly event: string;
  readonly data: string;
  /** The last event id seen so far in the stream (sticky, as the spec says). */
  readonly lastEventId: string;
}

/**
 * The text/event-stream parser of the HTML standard, fed chunk by chunk as fetch() hands the body
 * over (EventSource cannot send an Authorization header, so the dashboard reads the stream itself).
 * A line may be split across chunks, and a CR at a chunk's end may be half of a CRLF.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** Updated by `id:` even without data: the gateway sends a lone `id:` after skipped changes. */
  lastEventId = '';
  /** The server's `retry:` in milliseconds, when it sent one. */
  retryMs: number | undefined;

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const messages: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      // A CR last in the buffer: wait, the next chunk may start with its LF.
      if (end === cr && cr === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, end);
      start = end + (end === cr && this.buffer[cr + 1] === '\n' ? 2 : 1);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = '';
    if (data.length === 0) return undefined;
    return { event: event || 'message', data: data.join('\n'), lastEventId: this.lastEventId };
  }
}

import { connect, type Socket } from 'node:net';

/** How one GET ended: the status and the body's length, or what went wrong. */
export type GetResult =
  | { readonly ok: true; readonly status: number; readonly bytes: number }
  | { readonly ok: false; readonly error: Error };

interface Pending {
  readonly done: (result: GetResult) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** Responses' headers are a few hundred bytes; more than this is not the gateway answering. */
const MAX_HEADER_BYTES = 16_384;

/**
 * One keep-alive connection, one request at a time. It reads only what the benchmark needs of a
 * response: the status, and the body's length from Content-Length (a chunked or length-less answer
 * is an error, naming itself).
 */
class Connection {
  readonly socket: Socket;
  private pending: Pending | undefined;
  private header: Buffer | undefined;
  private status = 0;
  private bodyLeft = -1;
  private bodyBytes = 0;

  constructor(
    host: string,
    port: number,
    private readonly free: (connection: Connection) => void,
    private readonly lost: (connection: Connection) => void,
  ) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    const fail = (error: Error): void => {
      this.lost(this);
      this.finish({ ok: false, error });
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('the gateway closed the connection')));
  }

  send(request: Buffer, pending: Pending): void {
    this.pending = pending;
    this.header = undefined;
    this.bodyLeft = -1;
    this.bodyBytes = 0;
    this.socket.write(request);
  }

  private read(chunk: Buffer): void {
    if (!this.pending) {
      this.socket.destroy(new Error('the gateway sent bytes no request asked for'));
      return;
    }
    let body = chunk;
    if (this.bodyLeft < 0) {
      const header = this.header ? Buffer.concat([this.header, chunk]) : chunk;
      const end = header.indexOf(HEADER_END);
      if (end < 0) {
        if (header.length > MAX_HEADER_BYTES) this.socket.destroy(new Error('no end of headers'));
        else this.header = header;
        return;
      }
      const head = header.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) {
        this.socket.destroy(new Error(`a response without Content-Length: ${head.slice(0, 200)}`));
        return;
      }
      this.bodyLeft = Number(length[1]);
      body = header.subarray(end + HEADER_END.length);
    }
    this.bodyBytes += body.length;
    this.bodyLeft -= body.length;
    if (this.bodyLeft < 0) this.socket.destroy(new Error('more bytes than Content-Length said'));
    else if (this.bodyLeft === 0) {
      this.finish({ ok: true, status: this.status, bytes: this.bodyBytes });
      this.free(this);
    }
  }

  private finish(result: GetResult): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.done(result);
  }
}

/**
 * GET one URL over at most `maxSockets` keep-alive connections, opened as needed, each carrying one
 * request at a time; requests wait in order for a free one. Made for the paced load generator,
 * which shares the machine's two cores with what it measures: Node's HTTP client (ClientRequest,
 * IncomingMessage, header objects, an event per chunk) cost it about 160 µs of CPU per 40 KB
 * answer, this a fraction of that (bench/README.md, `gateway.jobs-api`).
 */
export class KeepAliveClient {
  private readonly request: Buffer;
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: Pending[] = [];
  private readonly host: string;
  private readonly port: number;

  constructor(
    url: URL,
    headers: Readonly<Record<string, string>>,
    private readonly maxSockets: number,
  ) {
    this.host = url.hostname;
    this.port = Number(url.port);
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    this.request = Buffer.from(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${lines.join('')}\r\n`,
      'latin1',
    );
  }

  get(done: (result: GetResult) => void): void {
    const pending = { done };
    const connection = this.idle.pop() ?? this.open();
    if (connection) connection.send(this.request, pending);
    else this.queue.push(pending);
  }

  close(): void {
    const all = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    this.queue.length = 0;
    for (const connection of all) connection.socket.destroy();
  }

  private open(): Connection | undefined {
    if (this.all.size >= this.maxSockets) return undefined;
    const connection = new Connection(
      this.host,
      this.port,
      (free) => {
        const next = this.queue.shift();
        if (next) free.send(this.request, next);
        else this.idle.push(free);
      },
      (lost) => {
        if (!this.all.delete(lost)) return;
        const at = this.idle.indexOf(lost);
        if (at >= 0) this.idle.splice(at, 1);
        // A request waiting for a connection gets a new one instead of the lost one.
        const next = this.queue.shift();
        if (next) this.open()!.send(this.request, next);
      },
    );
    this.all.add(connection);
    return connection;
  }
}

import {
  createInbox,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';
import {
  BusUnavailableError,
  NoResponderError,
  RequestTimeoutError,
} from '../../port/bus.errors.js';

/** NATS answers a request nobody subscribes to with an empty status message 503. */
const NO_RESPONDERS = 503;

interface Pending {
  readonly subject: string;
  readonly timeoutMs: number;
  readonly deadline: number;
  readonly resolve: (reply: Msg) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Request/reply over one wildcard subscription on a private inbox (`<inbox>.<id>`), replies
 * matched to requests by id, and one timer for all of them, armed for the earliest deadline.
 *
 * Why not nats.js's own `request`: it arms a timer for every request and builds an Error to
 * cancel it. Measured apart (40 KB replies at 1,500 requests/s), those requests left the replies'
 * buffers to full mark-compacts, one every ~0.6 s, where this mux's mostly died in scavenges. In
 * the gateway the full collections remain (about one every 1.3 s: the replies still reach the
 * controller through promises, bench/README.md, `gateway.jobs-api`), but no Error is built and
 * no timer armed per request.
 *
 * Errors are the bus's own: NoResponderError at once when nobody listens, RequestTimeoutError
 * once the request's timeout has passed with no reply, BusUnavailableError for requests in flight
 * when the connection closes. A reply arriving after its request timed out is dropped.
 */
export class NatsRequestMux {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix: string;
  private subscription: Subscription | undefined;
  private nextId = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDeadline = Infinity;

  constructor(private readonly nc: NatsConnection) {
    this.prefix = `${createInbox()}.`;
    void nc.closed().then(() => this.failAll('the NATS connection closed'));
  }

  request(
    subject: string,
    payload: Uint8Array,
    options: { readonly timeoutMs: number; readonly headers?: MsgHdrs },
  ): Promise<Msg> {
    this.subscription ??= this.nc.subscribe(`${this.prefix}*`, {
      callback: (error, msg) => {
        if (!error) return this.settle(msg);
        // The server ended the subscription (a permission on the inbox, say): what waits on it
        // fails now, naming why, and the next request subscribes again.
        this.subscription = undefined;
        this.failAll(`the reply subscription ${this.prefix}* failed (${error.message})`);
      },
    });
    const id = (this.nextId++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      // Throws at once on a closed or draining connection, or a payload over the server's limit.
      this.nc.publish(subject, payload, {
        reply: this.prefix + id,
        ...(options.headers ? { headers: options.headers } : {}),
      });
      const deadline = performance.now() + options.timeoutMs;
      this.pending.set(id, { subject, timeoutMs: options.timeoutMs, deadline, resolve, reject });
      if (deadline < this.timerDeadline) this.arm(deadline);
    });
  }

  private settle(msg: Msg): void {
    const id = msg.subject.slice(this.prefix.length);
    const request = this.pending.get(id);
    if (!request) return; // timed out already
    this.pending.delete(id);
    if (msg.data.length === 0 && msg.headers?.code === NO_RESPONDERS) {
      request.reject(new NoResponderError(request.subject));
    } else {
      request.resolve(msg);
    }
  }

  /** One timer: when it fires, the expired requests fail and it is armed for the next deadline. */
  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerDeadline = deadline;
    this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - performance.now()));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    this.timerDeadline = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, request] of this.pending) {
      if (request.deadline <= now + TIMER_SLACK_MS) {
        this.pending.delete(id);
        request.reject(new RequestTimeoutError(request.subject, request.timeoutMs));
      } else if (request.deadline < next) next = request.deadline;
    }
    if (next !== Infinity) this.arm(next);
  }

  private failAll(why: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDeadline = Infinity;
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const request of requests) {
      request.reject(new BusUnavailableError(`${why} before ${request.subject} answered`));
    }
  }
}

/** Requests whose deadline is this close when the timer fires fail with it (timers fire late). */
const TIMER_SLACK_MS = 1;

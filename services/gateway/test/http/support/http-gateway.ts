import { parseConfig } from '@clocktower/config';
import { InMemoryEventStore } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { startService, type RunningService } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { UserRole } from '@clocktower/contracts';
import { GatewayConfig } from '../../../src/app/config.js';
import { GatewayDefinition } from '../../../src/app/gateway.definition.js';
import { RecordingLogger } from '../../support/recording-logger.js';
import { bearer, createUserWithKey } from '../../support/users.js';
import { FakeProjection } from './fake-projection.js';

export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * The real gateway (startService, in-process bus, in-memory store, ephemeral port) in front of a
 * FakeProjection, with an admin and a user (slurm user `alice`) and their API keys.
 */
export class HttpGateway {
  private constructor(
    readonly url: string,
    readonly bus: InProcessMessageBus,
    readonly projection: FakeProjection,
    readonly logger: RecordingLogger,
    readonly keys: { readonly admin: string; readonly alice: string },
    private readonly running: RunningService,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<HttpGateway> {
    const config = parseConfig(GatewayConfig, {
      PORT: '0',
      CLOCKTOWER_BUS: 'in-process',
      CLOCKTOWER_STORE: 'memory',
      ...env,
    });
    const bus = new InProcessMessageBus();
    const store = new InMemoryEventStore();
    const admin = await createUserWithKey(store, { email: 'root@test', role: UserRole.Admin });
    const alice = await createUserWithKey(store, { email: 'alice@test' });
    const logger = new RecordingLogger();
    const running = await startService(GatewayDefinition, {
      config,
      bus,
      store,
      logger,
      http: true,
    });
    const url = running.url!;
    await until('the gateway ready', async () => (await fetch(`${url}/readyz`)).ok);
    const projection = new FakeProjection(bus).start();
    return new HttpGateway(
      url,
      bus,
      projection,
      logger,
      { admin: admin.key, alice: alice.key },
      running,
    );
  }

  async get<T = unknown>(
    path: string,
    options: { key?: string | null; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse<T>> {
    return this.send<T>('GET', path, options);
  }

  async post<T = unknown>(
    path: string,
    options: { key?: string | null } = {},
  ): Promise<HttpResponse<T>> {
    return this.send<T>('POST', path, options);
  }

  private async send<T>(
    method: string,
    path: string,
    options: { key?: string | null; headers?: Record<string, string> },
  ): Promise<HttpResponse<T>> {
    const key = options.key === undefined ? this.keys.admin : options.key;
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...(key === null ? {} : bearer(key)), ...options.headers },
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      headers: response.headers,
      body: (type.includes('json') ? JSON.parse(text) : text) as T,
    };
  }

  async close(): Promise<void> {
    this.projection.stop();
    await this.running.close();
    await this.bus.close();
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@clocktower/event-store';
import { freePort, runNode, until, type ChildRun } from '@clocktower/testing';

const root = resolve(import.meta.dirname, '../../../../..');
export const serviceMain = (service: string): string =>
  join(root, 'services', service, 'dist/app/main.js');

export function requireBuilt(): void {
  for (const service of ['gateway', 'job-projection']) {
    if (!existsSync(serviceMain(service))) {
      throw new Error(`${service} is not built: run \`npm run build\` (npm test does it first)`);
    }
  }
}

/** A service in its own node process, on a port of its own. */
export interface ServiceProcess {
  readonly run: ChildRun;
  readonly url: string;
}

/**
 * The e2e setup: one temp data directory whose SQLite store the test writes into directly (the
 * collector's part), and the services as separate processes sharing that file and talking over
 * NATS. Every child is stopped by `stop()`, whatever state it is in.
 */
export class Stack {
  readonly store: SqliteEventStore;
  /**
   * The stack's own subjects on the shared NATS: another stack (a suite or a developer's run at
   * the same time) would otherwise answer some of this one's queries from its own data.
   */
  readonly subjectPrefix = `e2e${randomBytes(4).toString('hex')}`;
  private readonly children: ChildRun[] = [];

  private constructor(
    readonly dataDir: string,
    readonly natsUrl: string,
  ) {
    this.store = SqliteEventStore.open({ file: join(dataDir, 'events.db') });
  }

  static create(natsUrl: string): Stack {
    requireBuilt();
    return new Stack(mkdtempSync(join(tmpdir(), 'ct-e2e-')), natsUrl);
  }

  private env(port: number, extra: Record<string, string>): Record<string, string> {
    return {
      NATS_URL: this.natsUrl,
      CLOCKTOWER_BUS: 'nats',
      CLOCKTOWER_SUBJECT_PREFIX: this.subjectPrefix,
      CLOCKTOWER_STORE: 'sqlite',
      CLOCKTOWER_DATA: this.dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...extra,
    };
  }

  /** Starts a service and waits for its /readyz; a child that exits first fails with its output. */
  async start(service: string, extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = await freePort();
    const run = runNode(serviceMain(service), this.env(port, extra));
    this.children.push(run);
    const url = `http://127.0.0.1:${port}`;
    let exited = false;
    void run.exited.then(() => (exited = true));
    await until(
      `${service} ready on ${url}`,
      async () => {
        if (exited) throw new Error(`${service} exited at start:\n${run.output()}`);
        const response = await fetch(`${url}/readyz`).catch(() => undefined);
        return response?.status === 200;
      },
      30_000,
      50,
    );
    return { run, url };
  }

  /** What the children printed, for a failing test's message. */
  output(): string {
    return this.children.map((c) => c.output()).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
    await this.store.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

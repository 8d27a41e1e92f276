import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readLabInfo } from '@clocktower/testing';
import { log } from '../../../../bench/report.js';
import { startProcess, startNode, waitFor, type ServiceProcess } from './service-processes.js';

/** The repository's root, from bench/dist/services/gateway/bench/jobs-api/ where this runs. */
export const ROOT = join(import.meta.dirname, '../../../../../..');
const NATS_SERVER_PATHS = [
  '/usr/sbin/nats-server',
  '/usr/bin/nats-server',
  '/usr/local/bin/nats-server',
];
const START_TIMEOUT_MS = 60_000;

export interface ServiceStack {
  readonly natsUrl: string;
  /** Where the bus came from, for the report. */
  readonly natsSource: string;
  readonly gatewayUrl: string;
  readonly projectionUrl: string;
  readonly apiKey: string;
  readonly nats: ServiceProcess | undefined;
  readonly gateway: ServiceProcess;
  readonly projection: ServiceProcess;
  stop(): Promise<void>;
}

interface Readyz {
  readonly ready: boolean;
  readonly checks: readonly {
    readonly name: string;
    readonly ok: boolean;
    readonly detail?: string;
  }[];
}

async function readyz(url: string): Promise<Readyz> {
  const response = await fetch(`${url}/readyz`);
  return (await response.json()) as Readyz;
}

/**
 * A NATS server of the benchmark's own when the binary is here (the lab installs it): on a shared
 * NATS another job-projection (a test running meanwhile) in the same queue group would answer a
 * share of the gateway's queries, from other data, at other speeds. Otherwise NATS_URL or the lab's.
 */
async function startNats(
  dir: string,
): Promise<{ url: string; source: string; process?: ServiceProcess }> {
  const binary = NATS_SERVER_PATHS.find((path) => existsSync(path));
  if (binary && process.env['NATS_URL'] === undefined) {
    const port = await freePort();
    const logFile = join(dir, 'nats.log');
    const nats = startProcess(
      'nats-server',
      binary,
      ['-a', '127.0.0.1', '-p', String(port)],
      {},
      logFile,
    );
    const url = `nats://127.0.0.1:${port}`;
    await waitFor(
      `nats-server on port ${port}`,
      async () => (readFileSync(logFile, 'utf8').includes('Server is ready') ? true : undefined),
      10_000,
      [nats],
    );
    return { url, source: `a private nats-server (${binary}) on port ${port}`, process: nats };
  }
  const url = process.env['NATS_URL'] ?? readLabInfo()?.nats.url;
  if (!url) {
    throw new Error(
      'no NATS: no nats-server binary, no NATS_URL, and no lab (bash deploy/lab/lab.sh up)',
    );
  }
  return {
    url,
    source: `${url} (shared: other job-projection processes on it would share the queries)`,
  };
}

/**
 * job-projection on the prebuilt read model and the gateway, as separate processes over NATS,
 * both on the same SQLite event store (the gateway keeps its users there). The gateway creates an
 * admin and its key on first start (CLOCKTOWER_BOOTSTRAP_ADMIN), as the embedded app does; a
 * stack started again on the same folder finds them. `projectionEnv` adds to job-projection's
 * environment (CLOCKTOWER_PAGE_CACHE_MB).
 */
export async function startServiceStack(
  dir: string,
  modelFile: string,
  projectionEnv: Readonly<Record<string, string>> = {},
): Promise<ServiceStack> {
  const nats = await startNats(dir);
  const [projectionPort, gatewayPort] = [await freePort(), await freePort()];
  const common = {
    NATS_URL: nats.url,
    CLOCKTOWER_BUS: 'nats',
    CLOCKTOWER_STORE: 'sqlite',
    CLOCKTOWER_DATA: dir,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // To profile the services: BENCH_CHILD_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
    ...(process.env['BENCH_CHILD_NODE_OPTIONS']
      ? { NODE_OPTIONS: process.env['BENCH_CHILD_NODE_OPTIONS'] }
      : {}),
  };
  const main = (service: string): string => join(ROOT, 'services', service, 'dist/app/main.js');
  const projection = startNode(
    'job-projection',
    main('job-projection'),
    [],
    {
      ...common,
      PORT: String(projectionPort),
      CLOCKTOWER_PROJECTION_DB: modelFile,
      ...projectionEnv,
    },
    join(dir, 'job-projection.log'),
  );
  const gateway = startNode(
    'gateway',
    main('gateway'),
    [],
    { ...common, PORT: String(gatewayPort), CLOCKTOWER_BOOTSTRAP_ADMIN: 'true' },
    join(dir, 'gateway.log'),
  );
  const children = [projection, gateway, ...(nats.process ? [nats.process] : [])];
  const stop = async (): Promise<void> => {
    await Promise.all([gateway.stop(), projection.stop()]);
    await nats.process?.stop();
  };
  try {
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const projectionUrl = `http://127.0.0.1:${projectionPort}`;
    await waitFor(
      'the gateway to be ready',
      async () => ((await readyz(gatewayUrl)).ready ? true : undefined),
      START_TIMEOUT_MS,
      children,
    );
    const detail = await waitFor(
      'job-projection to be live with no lag',
      async () => {
        const report = await readyz(projectionUrl);
        const check = report.checks.find((c) => c.name === 'projection');
        return report.ready && check?.detail?.match(/ live, .*lag 0\b/) ? check.detail : undefined;
      },
      START_TIMEOUT_MS,
      children,
    );
    log(`  job-projection: ${detail}`);
    const keyFile = join(dir, 'admin.key');
    const apiKey = await waitFor(
      'admin.key',
      async () => (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined),
      START_TIMEOUT_MS,
      children,
    );
    return {
      natsUrl: nats.url,
      natsSource: nats.source,
      gatewayUrl,
      projectionUrl,
      apiKey,
      nats: nats.process,
      gateway,
      projection,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

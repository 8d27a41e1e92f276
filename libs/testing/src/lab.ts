import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** The file `deploy/lab/lab.sh up` writes: how to reach the lab's components. */
export interface LabInfo {
  readonly nats: { readonly url: string };
  readonly slurm: {
    readonly cluster: string;
    readonly version: string;
    readonly partition: string;
    readonly nodes: readonly string[];
    readonly downNodes: readonly string[];
    readonly drainedNodes: readonly string[];
    readonly confDir: string;
  };
  readonly ssh: {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly privateKeyPath: string;
    readonly knownHostsPath: string;
    readonly hostKey: string;
  };
}

export type LabComponent = 'nats' | 'slurm' | 'ssh';

export type Availability<T> =
  | { readonly available: true; readonly value: T }
  | { readonly available: false; readonly reason: string };

export const DEFAULT_LAB_FILE = '/var/tmp/clocktower-lab/lab.json';

function labFile(): string {
  return (
    process.env['CLOCKTOWER_LAB_FILE'] ??
    `${process.env['CLOCKTOWER_LAB_DIR'] ?? '/var/tmp/clocktower-lab'}/lab.json`
  );
}

export function readLabInfo(): LabInfo | undefined {
  try {
    return JSON.parse(readFileSync(labFile(), 'utf8')) as LabInfo;
  } catch {
    return undefined;
  }
}

function tcpOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Whether a lab component is there. Without it a suite skips and says why; under CI=true, where
 * .ci/run brings the lab up, a missing component is a failure instead.
 */
export async function labComponent(component: 'nats'): Promise<Availability<string>>;
export async function labComponent(component: 'slurm' | 'ssh'): Promise<Availability<LabInfo>>;
export async function labComponent(
  component: LabComponent,
): Promise<Availability<string | LabInfo>> {
  const result = await probe(component);
  if (!result.available) {
    const message = `${component} is not available: ${result.reason}`;
    if (process.env['CI'] === 'true') {
      throw new Error(`${message}. Under CI=true the lab must be up (bash deploy/lab/lab.sh up).`);
    }
    console.warn(
      `SKIPPED suites that need ${message}. Start the lab with: bash deploy/lab/lab.sh up`,
    );
  }
  return result;
}

async function probe(component: LabComponent): Promise<Availability<string | LabInfo>> {
  const lab = readLabInfo();
  if (component === 'nats') {
    const url = process.env['NATS_URL'] ?? lab?.nats.url;
    if (!url) return { available: false, reason: `neither NATS_URL nor ${labFile()} is set up` };
    const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
    return (await tcpOpen(hostname, Number(port || 4222)))
      ? { available: true, value: url }
      : { available: false, reason: `nothing listens at ${url}` };
  }
  if (!lab) return { available: false, reason: `no lab file at ${labFile()}` };
  if (component === 'ssh') {
    return (await tcpOpen(lab.ssh.host, lab.ssh.port))
      ? { available: true, value: lab }
      : { available: false, reason: `nothing listens at ${lab.ssh.host}:${lab.ssh.port}` };
  }
  // Connecting to slurmctld just to probe it makes it log errors: read the listening sockets instead.
  return listening(SLURMCTLD_PORT)
    ? { available: true, value: lab }
    : { available: false, reason: `slurmctld does not listen on port ${SLURMCTLD_PORT}` };
}

const SLURMCTLD_PORT = 6817;
const TCP_LISTEN = '0A';

function listening(port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) => {
    try {
      return readFileSync(table, 'utf8')
        .split('\n')
        .slice(1)
        .some((line) => {
          const fields = line.trim().split(/\s+/);
          return fields[1]?.endsWith(`:${hexPort}`) === true && fields[3] === TCP_LISTEN;
        });
    } catch {
      return false;
    }
  });
}

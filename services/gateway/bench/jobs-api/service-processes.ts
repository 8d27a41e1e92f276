import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

/** A service (or helper script) running as a child node process, its output going to a file. */
export interface ServiceProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string | null;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** The last lines it printed, to name a failure. */
  tail(lines?: number): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
let hooked = false;

/**
 * Children must not outlive the benchmark, however it ends. On a signal they are stopped before
 * report.ts's handler (registered later) removes the temp folder they write into.
 */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = (): void => {
    for (const child of running) child.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.prependListener(signal, killAll);
}

/** `node script args…`; see startProcess. */
export function startNode(
  name: string,
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  logFile: string | null,
): ServiceProcess {
  return startProcess(name, process.execPath, [script, ...args], env, logFile);
}

/**
 * Starts a child with only PATH and `env` as its environment, its output appended to `logFile`
 * (or, null, passed through to ours, for a helper whose progress people should see).
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  logFile: string | null,
): ServiceProcess {
  hookExit();
  const fd = logFile === null ? undefined : openSync(logFile, 'a');
  const child = spawn(command, args, {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    stdio: fd === undefined ? ['ignore', 'inherit', 'inherit'] : ['ignore', fd, fd],
  });
  if (fd !== undefined) closeSync(fd);
  running.add(child);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const tail = (lines = 20): string => {
    if (logFile === null) return '(output above)';
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  };
  return {
    name,
    child,
    logFile,
    exited,
    tail,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a helper script to its end; rejects with its output's tail if it fails. */
export async function runToEnd(process_: ServiceProcess): Promise<void> {
  const code = await process_.exited;
  if (code !== 0) {
    throw new Error(`${process_.name} exited with ${code}:\n${process_.tail(40)}`);
  }
}

/**
 * Polls `check` until it returns a value, failing early (with its log) if `watched` exits first.
 * `check` returning undefined means "not yet".
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  watched: readonly ServiceProcess[],
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const service of watched) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) {
        throw new Error(`${service.name} exited while waiting for ${what}:\n${service.tail(40)}`);
      }
    }
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const logs = watched.map((s) => `--- ${s.name} (${s.logFile}):\n${s.tail(20)}`).join('\n');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

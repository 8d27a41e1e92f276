import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times: 100 on every Linux Node supports. */
const CLOCK_TICKS = 100;

/** CPU time a process has used so far (user + system), in milliseconds; NaN once it is gone. */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** A process's peak resident set (the kernel's VmHWM), in MiB; NaN once it is gone. */
export function peakRssMiBOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** This process's CPU time so far, in milliseconds. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1_000;
}

import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Peak RSS over one span of the run (a poll), not since the process started: on Linux, writing 5
 * to /proc/self/clear_refs resets the kernel's high-water mark (VmHWM), so a steady-state poll's
 * peak is not hidden under the first poll's; elsewhere it is the largest
 * `process.memoryUsage.rss()` sample the caller takes between steps.
 *
 * RSS is the process's, fixture included, and V8 keeps heap pages resident after a GC: a poll on
 * a heap that an earlier parse grew raises RSS by little. See heap-sizes.ts for what a poll holds.
 */
export class MemorySpan {
  #rss = 0;

  /** Starts a new span; call it right after a full GC. Returns the RSS at its start, in MiB. */
  reset(): number {
    processPeak.resetHighWaterMark();
    this.#rss = 0;
    this.sample();
    return Math.round(this.#rss / 2 ** 20);
  }

  sample(): void {
    this.#rss = Math.max(this.#rss, process.memoryUsage.rss());
  }

  /** The span's peak RSS in MiB: the kernel's high-water mark where it can be reset, else the samples'. */
  peakRssMiB(): number {
    this.sample();
    const kib = processPeak.highWaterMarkKiB();
    return Math.round(kib === undefined ? this.#rss / 2 ** 20 : kib / 1024);
  }
}

/**
 * The process's peak RSS across all spans. Resetting VmHWM also lowers what getrusage's maxRSS
 * reports, so the high-water mark is read and kept before every reset.
 */
class ProcessPeak {
  readonly kernelHighWaterMark = readHighWaterMarkKiB() !== undefined && canReset();
  #peakKiB = 0;

  highWaterMarkKiB(): number | undefined {
    if (!this.kernelHighWaterMark) return undefined;
    const kib = readHighWaterMarkKiB();
    if (kib !== undefined) this.#peakKiB = Math.max(this.#peakKiB, kib);
    return kib;
  }

  resetHighWaterMark(): void {
    if (!this.kernelHighWaterMark) return;
    this.highWaterMarkKiB();
    writeFileSync('/proc/self/clear_refs', '5');
  }

  peakMiB(): number {
    this.highWaterMarkKiB();
    return Math.round(Math.max(this.#peakKiB, process.resourceUsage().maxRSS) / 1024);
  }
}

const processPeak = new ProcessPeak();

/** Whether span peaks come from the kernel's high-water mark (else from samples). */
export const KERNEL_HIGH_WATER_MARK = processPeak.kernelHighWaterMark;

/** The process's peak RSS so far, in MiB, including what the span resets hid from getrusage. */
export function processPeakRssMiB(): number {
  return processPeak.peakMiB();
}

export function rssMiB(): number {
  return Math.round(process.memoryUsage.rss() / 2 ** 20);
}

export function heapUsedMiB(): number {
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

/** Opening /proc/self/clear_refs for writing, without writing to it, is the check. */
function canReset(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '', { flag: 'r+' });
    return true;
  } catch {
    return false;
  }
}

function readHighWaterMarkKiB(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

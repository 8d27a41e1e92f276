import { parseJobs, type RawOutput } from '@clocktower/slurm-collector';

/**
 * What a queue poll holds at once, measured apart from the timed rounds (a forced GC inside a poll
 * would take the collection of the parsed document out of the timed steps). parseJobs keeps the
 * parsed document until its last record is built, so a queue poll's heap peaks at no less than
 * body + parsed document + records, whatever RSS the process had before.
 */
export interface HeapSizes {
  /** The body itself (a one-byte string: its length in bytes). */
  readonly bodyMiB: number;
  /** JSON.parse's tree of the body. */
  readonly documentMiB: number;
  /** The normalized records parseJobs returns. */
  readonly recordsMiB: number;
}

export function measureHeapSizes(output: RawOutput, cluster: string, gc: () => void): HeapSizes {
  gc();
  const before = process.memoryUsage().heapUsed;
  const documentBytes = parsedSize(output.body, before);
  gc();
  const records = parseJobs(output, cluster);
  gc();
  const recordsBytes = process.memoryUsage().heapUsed - before;
  if (records.length === 0) throw new Error(`${output.kind} output without records`);
  return {
    bodyMiB: output.body.length / 2 ** 20,
    documentMiB: documentBytes / 2 ** 20,
    recordsMiB: recordsBytes / 2 ** 20,
  };
}

/** Heap used with the parsed document alive; the document dies when this returns. */
function parsedSize(body: string, before: number): number {
  const document = JSON.parse(body) as unknown;
  const after = process.memoryUsage().heapUsed;
  return document === undefined ? 0 : after - before;
}

import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { parseSacctJson } from './sacct-json.parser.js';
import { parseSacctText } from './sacct-text.parser.js';
import { parseScontrolJobs, parseScontrolNodes } from './scontrol-text.parser.js';
import { parseSinfoJson } from './sinfo-json.parser.js';
import { parseSinfoText } from './sinfo-text.parser.js';
import { SlurmOutputError } from './slurm-output.errors.js';
import { parseSqueueJson } from './squeue-json.parser.js';
import { parseSqueueText } from './squeue-text.parser.js';
import type { ParseOptions } from './text-lines.js';

/**
 * The parsers' public surface: Slurm output in, normalized records out, nothing else. Pure: no
 * I/O, no clock. A malformed document throws SlurmOutputError and never yields part of itself.
 */

export { SlurmOutputError } from './slurm-output.errors.js';
export { detectOpenApiVersion, NEWEST_KNOWN_OPENAPI_VERSION } from './openapi-envelope.js';
export type { ParseOptions } from './text-lines.js';
export { parseSqueueJson } from './squeue-json.parser.js';
export { parseSacctJson } from './sacct-json.parser.js';
export { parseSinfoJson } from './sinfo-json.parser.js';
export { parseSqueueText } from './squeue-text.parser.js';
export { parseSacctText } from './sacct-text.parser.js';
export { parseSinfoText } from './sinfo-text.parser.js';
export { parseScontrolJobs, parseScontrolNodes } from './scontrol-text.parser.js';
export {
  SACCT_TEXT_FIELDS,
  SINFO_TEXT_FIELDS,
  SQUEUE_TEXT_FIELDS,
  sacctArgv,
  sinfoArgv,
  slurmTime,
  squeueArgv,
} from './slurm-commands.js';

/** Jobs from `squeue`, `sacct` or `scontrol show job`, JSON or text. */
export function parseJobs(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): JobRecord[] {
  const json = output.format === 'json';
  switch (output.kind) {
    case 'squeue':
      return json ? parseSqueueJson(output, cluster) : parseSqueueText(output, cluster, options);
    case 'sacct':
      return json ? parseSacctJson(output, cluster) : parseSacctText(output, cluster, options);
    case 'scontrol-jobs':
      // scontrol prints no JSON before 23.02, and from then on the same shape as squeue's.
      return json ? parseSqueueJson(output, cluster) : parseScontrolJobs(output, cluster, options);
    default:
      throw new SlurmOutputError(
        output.kind,
        output.format,
        `${output.kind} output holds nodes, not jobs`,
      );
  }
}

/** Nodes from `sinfo` or `scontrol show node`, JSON or text. */
export function parseNodes(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): NodeRecord[] {
  const json = output.format === 'json';
  switch (output.kind) {
    case 'sinfo':
      return json ? parseSinfoJson(output, cluster) : parseSinfoText(output, cluster, options);
    case 'scontrol-nodes':
      return json ? parseSinfoJson(output, cluster) : parseScontrolNodes(output, cluster, options);
    default:
      throw new SlurmOutputError(
        output.kind,
        output.format,
        `${output.kind} output holds jobs, not nodes`,
      );
  }
}

import type { NodeRecord } from '@clocktower/contracts';
import type { RawOutput } from '../raw-output.js';
import { SINFO_TEXT_FIELDS } from './slurm-commands.js';
import { SlurmValueError } from './slurm-output.errors.js';
import { nodeState } from './slurm-states.js';
import { parseGres } from './slurm-tres.js';
import { localTimeToIso, stringList, textOrNull } from './slurm-values.js';
import { type ParseOptions, atLine, splitFields, textLines } from './text-lines.js';

/**
 * `sinfo --Node -O field:|,...` with the field list of SINFO_TEXT_FIELDS. `sinfo -N` prints a node
 * once per partition it belongs to: the lines are merged into one record with every partition.
 * The state may be StateComplete (`idle+drain`) or StateLong (`drained*`); `*` means not responding.
 */

type SinfoField = (typeof SINFO_TEXT_FIELDS)[number];
const INDEX = Object.fromEntries(SINFO_TEXT_FIELDS.map((name, i) => [name, i])) as Record<
  SinfoField,
  number
>;

export function parseSinfoText(
  output: RawOutput,
  cluster: string,
  options: ParseOptions = {},
): NodeRecord[] {
  const offset = options.timeZoneOffsetMinutes ?? 0;
  const byName = new Map<string, NodeRecord>();
  for (const { line, number } of textLines(output.body)) {
    const f = splitFields(output, line, number, SINFO_TEXT_FIELDS.length, true);
    atLine(output, number, () => {
      const field = (name: SinfoField): string => f[INDEX[name]]!.trim();
      const name = field('NodeList');
      if (name === '') throw new SlurmValueError('empty node name');
      const partition = field('Partition').replace(/\*$/, '');
      const seen = byName.get(name);
      if (seen !== undefined) {
        if (partition !== '' && !seen.partitions.includes(partition))
          seen.partitions.push(partition);
        return;
      }
      const { state, flags } = nodeState(field('StateComplete'));
      const cpuStates = field('CPUsState').split('/');
      if (cpuStates.length !== 4)
        throw new SlurmValueError(`CPUsState ${JSON.stringify(field('CPUsState'))} is not A/I/O/T`);
      const gres = parseGres(field('Gres'));
      const reason = textOrNull(field('Reason'));
      byName.set(name, {
        cluster,
        name,
        state,
        flags,
        reason,
        reasonSetBy: reason === null ? null : userName(field('UserLong')),
        reasonSince: reason === null ? null : localTimeToIso(field('Timestamp'), offset),
        cpus: count(cpuStates[3]!, 'CPUsState'),
        cpusAllocated: count(cpuStates[0]!, 'CPUsState'),
        memoryMB: count(field('Memory'), 'Memory'),
        memoryAllocatedMB: count(field('AllocMem'), 'AllocMem'),
        gpus: gres.gpus,
        gpusAllocated: parseGres(field('GresUsed')).gpus,
        gpuType: gres.gpuType,
        partitions: partition === '' ? [] : [partition],
        features: stringList(field('Features')),
      });
    });
  }
  const records = [...byName.values()];
  for (const r of records) r.partitions.sort();
  return records;
}

/** `root(0)` → `root`; `Unknown` → null. */
function userName(text: string): string | null {
  const value = textOrNull(text);
  if (value === null) return null;
  const paren = value.indexOf('(');
  return paren > 0 ? value.slice(0, paren) : value;
}

function count(text: string, fieldName: string): number {
  if (!/^\d+$/.test(text))
    throw new SlurmValueError(`${fieldName} ${JSON.stringify(text)} is not a count`);
  return Number(text);
}

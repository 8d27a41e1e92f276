/**
 * Slurm's compact forms of lists: host lists (`cn[001-003,007],ga01`) and id ranges (`1-3,7`),
 * as squeue, sinfo and sacct print them.
 */

const NUMBERED = /^(.*?)(\d+)$/;

/** Compresses node names the way Slurm's hostlist does: per prefix, sorted, zero padding kept. */
export function compressHostList(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return names[0] ?? '';
  const groups = new Map<string, { width: number; numbers: number[] }>();
  const plain: string[] = [];
  for (const name of names) {
    const match = NUMBERED.exec(name);
    if (!match) {
      plain.push(name);
      continue;
    }
    const prefix = match[1] ?? '';
    const digits = match[2] ?? '';
    // Names with a different padding width are different ranges to Slurm (n1 vs n01).
    const key = `${prefix}\u0000${digits.length}`;
    let group = groups.get(key);
    if (!group) {
      group = { width: digits.length, numbers: [] };
      groups.set(key, group);
    }
    group.numbers.push(Number(digits));
  }
  const parts: string[] = [];
  for (const [key, { width, numbers }] of [...groups].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const prefix = key.slice(0, key.indexOf('\u0000'));
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    if (sorted.length === 1) {
      parts.push(prefix + pad(sorted[0] ?? 0, width));
      continue;
    }
    parts.push(`${prefix}[${formatRanges(sorted, (n) => pad(n, width))}]`);
  }
  return [...parts, ...plain.sort()].join(',');
}

/** `[1, 2, 3, 7]` → `1-3,7` (the numbers must be ascending and distinct). */
export function formatRanges(
  sorted: readonly number[],
  format: (n: number) => string = String,
): string {
  const out: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] ?? 0;
    let last = first;
    while (i + 1 < sorted.length && sorted[i + 1] === last + 1) {
      i++;
      last = sorted[i] ?? last;
    }
    out.push(first === last ? format(first) : `${format(first)}-${format(last)}`);
    i++;
  }
  return out.join(',');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

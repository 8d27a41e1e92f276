/**
 * Slurm's compact forms of lists: host lists (`cn[001-003,007],ga01`) and id ranges (`1-3,7`),
 * as squeue, sinfo and sacct print them. In contracts because the collector prints them (its
 * simulator) and the projection reads them (which jobs ran on a node), and services never import
 * each other.
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

/** Past this many names an expression is refused: `n[0-99999999]` must not exhaust memory. */
export const MAX_HOSTLIST_NAMES = 100_000;

export class HostListError extends Error {
  readonly code = 'INVALID_HOSTLIST';
  constructor(
    readonly expression: string,
    problem: string,
  ) {
    super(`hostlist ${JSON.stringify(expression)}: ${problem}`);
    this.name = 'HostListError';
  }
}

/**
 * Expands a host list expression (`gpu[01-03,07],login1`, `rack[1-2]-n[01-02]`) to node names, in
 * the order written, zero padding kept. Throws HostListError on an unbalanced bracket, a bad range
 * or more than `maxNames` names.
 */
export function expandHostList(expression: string, maxNames = MAX_HOSTLIST_NAMES): string[] {
  const names: string[] = [];
  for (const item of splitOutsideBrackets(expression)) {
    if (item === '') continue;
    for (const name of expandItem(expression, item, maxNames)) {
      names.push(name);
      if (names.length > maxNames)
        throw new HostListError(expression, `more than ${maxNames} names`);
    }
  }
  return names;
}

function splitOutsideBrackets(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function expandItem(expression: string, item: string, maxNames: number): string[] {
  const open = item.indexOf('[');
  if (open < 0) {
    if (item.includes(']')) throw new HostListError(expression, 'unbalanced bracket');
    return [item];
  }
  const close = item.indexOf(']', open);
  if (close < 0) throw new HostListError(expression, 'unbalanced bracket');
  const prefix = item.slice(0, open);
  const rest = item.slice(close + 1);
  const suffixes = rest === '' ? [''] : expandItem(expression, rest, maxNames);
  const out: string[] = [];
  for (const range of item.slice(open + 1, close).split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(range);
    if (!match) throw new HostListError(expression, `bad range ${JSON.stringify(range)}`);
    const from = match[1] ?? '';
    const first = Number(from);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first)
      throw new HostListError(expression, `descending range ${JSON.stringify(range)}`);
    if (last - first >= maxNames)
      throw new HostListError(expression, `more than ${maxNames} names`);
    for (let n = first; n <= last; n++) {
      const base = prefix + pad(n, from.length);
      for (const suffix of suffixes) out.push(base + suffix);
    }
  }
  return out;
}

import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSacctJson } from '../../src/adapters/simulator/sacct-json.render.js';
import { SimulatedCluster } from '../../src/adapters/simulator/simulated-cluster.js';
import { simulatedClusterConfig } from '../../src/adapters/simulator/simulated-cluster.config.js';
import { renderSinfoJson } from '../../src/adapters/simulator/sinfo-json.render.js';
import { renderSqueueJson } from '../../src/adapters/simulator/squeue-json.render.js';

/**
 * The simulator against real Slurm 22.05 output captured on the lab (fixtures/lab-*.json, saved
 * unmodified from `squeue --json`, `sinfo --json` and `sacct --json -a -X -S …` on this machine):
 * every record has the lab's keys in the lab's order, and every value a type the lab printed there.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Document {
  readonly meta: Json;
  readonly errors: Json[];
  readonly jobs?: Record<string, Json>[];
  readonly nodes?: Record<string, Json>[];
}

const fixtures = join(import.meta.dirname, 'fixtures');
const lab = (file: string): { text: string; document: Document } => {
  const text = readFileSync(join(fixtures, file), 'utf8');
  return { text, document: JSON.parse(text) as Document };
};

/** Paths where the lab prints null only because it has no accounting associations or GRES. */
const UNSET_ON_THE_LAB = [
  'account',
  'user',
  'association',
  'comment.job',
  'tres.allocated[].name',
  'tres.requested[].name',
];

/** Path → JSON types seen there. Numeric object keys (socket and core maps) become `*`. */
function shapes(records: readonly Json[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const visit = (value: Json, path: string): void => {
    const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    const seen = out.get(path) ?? new Set<string>();
    seen.add(type);
    out.set(path, seen);
    if (Array.isArray(value)) for (const item of value) visit(item, `${path}[]`);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value))
        visit(child, `${path === '' ? '' : `${path}.`}${/^\d+$/.test(key) ? '*' : key}`);
    }
  };
  for (const record of records) visit(record, '');
  return out;
}

/** Every (path, type) of the simulator that the lab never printed. */
function unlike(simulated: readonly Json[], real: readonly Json[]): string[] {
  const labShapes = shapes(real);
  const problems: string[] = [];
  for (const [path, types] of shapes(simulated)) {
    if (
      UNSET_ON_THE_LAB.some(
        (p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`),
      )
    )
      continue;
    const labTypes = labShapes.get(path);
    if (labTypes === undefined) {
      // Elements of a list the lab only ever printed empty (gres_detail without GPUs) are free.
      const list = path.endsWith('[]') ? labShapes.get(path.slice(0, -2)) : undefined;
      if (list?.has('array') === true) continue;
      problems.push(`${path}: not in the lab's output`);
      continue;
    }
    for (const type of types)
      if (!labTypes.has(type))
        problems.push(`${path}: ${type}, the lab printed ${[...labTypes].join('|')}`);
  }
  return problems;
}

function keyOrders(records: readonly Record<string, Json>[]): Set<string> {
  return new Set(records.map((r) => Object.keys(r).join(',')));
}

describe('the simulator prints what Slurm 22.05 prints', () => {
  // A day of the default cluster: arrays, GPUs, requeues, node failures, every end state.
  const cluster = new SimulatedCluster(
    simulatedClusterConfig({ seed: 1, incidents: { failuresPerDay: 24 } }),
  );
  const start = cluster.now - cluster.config.warmUpSeconds;
  cluster.advance(6 * 3600);
  cluster.drainNode('cn005', 'maintenance: BIOS update', 'hpcadmin');
  cluster.failNode('gv02');
  const squeue = renderSqueueJson(cluster);
  const sinfo = renderSinfoJson(cluster);
  const sacct = renderSacctJson(cluster, start, cluster.now);
  const simJobs = (JSON.parse(squeue) as Document).jobs!;
  const simNodes = (JSON.parse(sinfo) as Document).nodes!;
  const simAccounting = (JSON.parse(sacct) as Document).jobs!;
  const labQueue = lab('lab-squeue.json');
  const labNodes = lab('lab-sinfo.json');
  const labAccounting = [lab('lab-sacct-active.json'), lab('lab-sacct-ended.json')];

  it('says the same meta (plugin openapi/v0.0.38, Slurm 22.05.8) and no errors', () => {
    expect(JSON.parse(squeue)).toMatchObject({ meta: labQueue.document.meta, errors: [] });
    expect(JSON.parse(sinfo)).toMatchObject({ meta: labNodes.document.meta, errors: [] });
    expect(JSON.parse(sacct)).toMatchObject({ meta: labAccounting[0]!.document.meta, errors: [] });
    expect((JSON.parse(squeue) as { meta: { plugin: { type: string } } }).meta.plugin.type).toBe(
      'openapi/v0.0.38',
    );
  });

  it('escapes slashes as Slurm’s writer does', () => {
    expect(labQueue.text).toContain('"openapi\\/v0.0.38"');
    expect(squeue).toContain('"openapi\\/v0.0.38"');
  });

  it('gives squeue jobs the lab’s keys in the lab’s order, with job_resources only for jobs that hold nodes', () => {
    const labJobs = labQueue.document.jobs!;
    const withResources = (
      records: readonly Record<string, Json>[],
      has: boolean,
    ): Record<string, Json>[] => records.filter((r) => 'job_resources' in r === has);
    expect(keyOrders(withResources(simJobs, true))).toEqual(
      keyOrders(withResources(labJobs, true)),
    );
    expect(keyOrders(withResources(simJobs, false))).toEqual(
      keyOrders(withResources(labJobs, false)),
    );
    expect(keyOrders(withResources(labJobs, true)).size).toBe(1);
  });

  it('gives squeue job values the types the lab printed', () => {
    expect(unlike(simJobs, labQueue.document.jobs!)).toEqual([]);
  });

  it('gives sinfo nodes the lab’s keys, order and types', () => {
    expect(keyOrders(simNodes)).toEqual(keyOrders(labNodes.document.nodes!));
    expect(unlike(simNodes, labNodes.document.nodes!)).toEqual([]);
  });

  it('gives sacct jobs the lab’s keys, order and types', () => {
    const labJobs = labAccounting.flatMap((f) => f.document.jobs!);
    expect(keyOrders(simAccounting)).toEqual(keyOrders(labJobs));
    expect(unlike(simAccounting, labJobs)).toEqual([]);
  });

  it('covers what the lab shows: every base state, arrays, GPUs, drained and failed nodes', () => {
    const states = new Set([
      ...simJobs.map((j) => j['job_state']),
      ...simAccounting.map((j) => (j['state'] as { current: string }).current),
    ]);
    expect([...states]).toEqual(
      expect.arrayContaining([
        'PENDING',
        'RUNNING',
        'COMPLETED',
        'FAILED',
        'CANCELLED',
        'TIMEOUT',
        'NODE_FAIL',
      ]),
    );
    expect(simJobs.some((j) => j['array_task_string'] !== '')).toBe(true);
    expect(simJobs.some((j) => (j['gres_detail'] as Json[]).length > 0)).toBe(true);
    expect(simNodes.some((n) => (n['state_flags'] as string[]).includes('DRAIN'))).toBe(true);
    expect(
      simAccounting.some((j) => (j['state'] as { current: string }).current === 'NODE_FAIL'),
    ).toBe(true);
  });
});

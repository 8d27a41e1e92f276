import type { NodeRecord } from '@clocktower/contracts';
import { describe, expect, it } from '@jest/globals';
import { fixture } from '../../../test/fixtures/fixture.js';
import { parseSinfoJson } from './sinfo-json.parser.js';

const parse = (path: string): NodeRecord[] => parseSinfoJson(fixture(path, 'sinfo'), 'lab');
const byName = (nodes: NodeRecord[], name: string): NodeRecord => {
  const node = nodes.find((n) => n.name === name);
  if (node === undefined) throw new Error(`no node ${name}`);
  return node;
};

describe('sinfo --json, Slurm 22.05, recorded on the lab', () => {
  it('reads a drained node as IDLE + DRAIN with who drained it and when', () => {
    expect(byName(parse('slurm-22.05/t3-ended/sinfo.json'), 'node02')).toEqual({
      cluster: 'lab',
      name: 'node02',
      state: 'IDLE',
      flags: ['DRAIN'],
      reason: 'fixture drain',
      reasonSetBy: 'root',
      reasonSince: '2026-11-21T16:55:58.000Z',
      cpus: 8,
      cpusAllocated: 0,
      memoryMB: 4000,
      memoryAllocatedMB: 0,
      gpus: 0,
      gpusAllocated: 0,
      gpuType: null,
      partitions: ['debug', 'long'],
      features: ['cpu', 'lab'],
    });
  });

  it('reads a draining node (jobs still running) as MIXED + DRAIN', () => {
    expect(byName(parse('slurm-22.05/t2-draining/sinfo.json'), 'node02')).toMatchObject({
      state: 'MIXED',
      flags: ['DRAIN'],
      cpusAllocated: 2,
      memoryAllocatedMB: 200,
    });
  });

  it('reads the down node, not responding, and the unregistered drained one as UNKNOWN', () => {
    const nodes = parse('slurm-22.05/t1-running/sinfo.json');
    expect(byName(nodes, 'node03')).toMatchObject({
      state: 'DOWN',
      flags: ['NOT_RESPONDING'],
      reason: 'lab: no slurmd',
      partitions: ['spare'],
    });
    expect(byName(nodes, 'node04')).toMatchObject({
      state: 'UNKNOWN',
      flags: ['DRAIN', 'NOT_RESPONDING'],
      reason: 'lab: drained for tests',
    });
    expect(byName(nodes, 'node01')).toMatchObject({
      state: 'ALLOCATED',
      flags: [],
      reason: null,
      reasonSetBy: null,
      cpusAllocated: 8,
    });
  });

  it('gives a node with no reason no reason fields', () => {
    expect(byName(parse('slurm-22.05/t6-resumed-cancelled/sinfo.json'), 'node02')).toMatchObject({
      state: 'IDLE',
      flags: [],
      reason: null,
      reasonSetBy: null,
      reasonSince: null,
    });
  });
});

describe('node JSON of other versions', () => {
  it('21.08 (v0.0.37): state string plus flags, a GPU without type', () => {
    const nodes = parse('slurm-21.08/sinfo.json');
    expect(byName(nodes, 'test-node-1')).toMatchObject({
      state: 'DOWN',
      flags: ['NOT_RESPONDING'],
      reason: 'Not responding',
      reasonSince: '2022-10-29T23:00:49.000Z',
      gpus: 1,
      gpusAllocated: 0,
      gpuType: null,
      features: ['test_features'],
    });
    expect(byName(nodes, 'test-node-2')).toMatchObject({
      state: 'DOWN',
      flags: ['DRAIN'],
      reason: 'Sanity Check Failed',
    });
  });

  it('23.02 (v0.0.39 sinfo shape): a node listed once per partition becomes one record', () => {
    expect(parse('slurm-23.02/sinfo.json')).toEqual([
      {
        cluster: 'lab',
        name: 'cs11',
        state: 'MIXED',
        flags: [],
        reason: null,
        reasonSetBy: null,
        reasonSince: null,
        cpus: 64,
        cpusAllocated: 54,
        memoryMB: 770000,
        memoryAllocatedMB: 766658,
        gpus: 0,
        gpusAllocated: 0,
        gpuType: null,
        partitions: ['hw', 'hw-h'],
        features: [],
      },
    ]);
  });

  it('23.11 (v0.0.40 sinfo shape, `sinfo -N --json`): merged partitions', () => {
    const nodes = parse('slurm-23.11/sinfo.json');
    expect(nodes.map((n) => [n.name, n.partitions])).toEqual([
      ['host-192-168-222-22', ['main', 'mx']],
      ['host-192-168-222-23', ['mx']],
    ]);
    expect(byName(nodes, 'host-192-168-222-22')).toMatchObject({
      state: 'ALLOCATED',
      cpus: 252,
      cpusAllocated: 252,
      memoryMB: 928264,
      memoryAllocatedMB: 630000,
    });
  });

  it('23.11 (v0.0.40 nodes): state list with DRAIN, GPUs of two types', () => {
    const nodes = parse('slurm-23.11/nodes.json');
    expect(byName(nodes, 'cn2')).toMatchObject({
      state: 'MIXED',
      flags: ['DRAIN'],
      reason: 'ECC memory error',
      reasonSetBy: 'root',
      reasonSince: '2024-11-19T14:50:38.000Z',
      cpusAllocated: 2,
    });
    expect(byName(nodes, 'ia1')).toMatchObject({
      state: 'ALLOCATED',
      gpus: 6,
      gpusAllocated: 1,
      gpuType: 'h100,h200',
      reason: null,
      reasonSince: null,
    });
  });

  it('24.05 (v0.0.41): a down node with its reason', () => {
    expect(parse('slurm-24.05/nodes.json')[0]).toMatchObject({
      name: 'cn026',
      state: 'DOWN',
      flags: [],
      reason: 'CPU dead',
      partitions: ['batch'],
    });
  });

  it('24.11 (v0.0.42): GPUs in use from gres_used', () => {
    expect(parse('slurm-24.11/nodes.json')[0]).toMatchObject({
      name: 'ia1',
      state: 'MIXED',
      cpus: 32,
      cpusAllocated: 1,
      memoryAllocatedMB: 1024,
      gpus: 6,
      gpusAllocated: 1,
    });
  });

  it('25.05 (v0.0.43): IDLE + DRAIN', () => {
    expect(parse('slurm-25.05/nodes.json')[0]).toMatchObject({
      name: 'cn2',
      state: 'IDLE',
      flags: ['DRAIN'],
      reasonSince: '2025-11-12T10:20:29.000Z',
    });
  });
});

import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawOutput } from '../../domain/raw-output.js';
import { ReplaySource } from './replay.source.js';

const root = mkdtempSync(join(tmpdir(), 'ct-replay-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function pollDir(files: Record<string, string>, mtime?: Date): string {
  const dir = join(root, `poll-${++count}`);
  mkdirSync(dir);
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  if (mtime) utimesSync(dir, mtime, mtime);
  return dir;
}

async function collect(
  source: ReplaySource,
): Promise<{ dir: string; outputs: readonly RawOutput[] }[]> {
  const polls = [];
  for await (const poll of source.polls()) polls.push(poll);
  return polls;
}

describe('replay source', () => {
  it('yields every directory in order with each known file as an output, and ignores other files', async () => {
    const a = pollDir({
      'sinfo.json': '{"nodes":[]}',
      'squeue.json': '{"jobs":[]}',
      'notes.md': 'ignored',
      'observed-at.txt': '2024-05-01T12:00:00Z\n',
    });
    const b = pollDir({
      'squeue.txt': '1|...',
      'sacct.txt': '1|...',
      'scontrol-jobs.txt': 'JobId=1',
      'scontrol-nodes.txt': 'NodeName=n1',
      'sinfo.txt': 'n1|idle',
      'sacct.json': '{"jobs":[]}',
      'observed-at.txt': '2024-05-01T12:00:05.250Z',
    });
    const polls = await collect(new ReplaySource({ dirs: [a, b] }));
    expect(polls.map((p) => p.dir)).toEqual([a, b]);
    expect(polls[0]!.outputs).toEqual([
      {
        kind: 'squeue',
        format: 'json',
        body: '{"jobs":[]}',
        observedAt: '2024-05-01T12:00:00.000Z',
      },
      {
        kind: 'sinfo',
        format: 'json',
        body: '{"nodes":[]}',
        observedAt: '2024-05-01T12:00:00.000Z',
      },
    ]);
    expect(polls[1]!.outputs.map((o) => `${o.kind}/${o.format}`)).toEqual([
      'sacct/json',
      'squeue/text',
      'sacct/text',
      'sinfo/text',
      'scontrol-jobs/text',
      'scontrol-nodes/text',
    ]);
    expect(polls[1]!.outputs.every((o) => o.observedAt === '2024-05-01T12:00:05.250Z')).toBe(true);
  });

  it("takes observedAt from the directory's mtime when there is no observed-at.txt", async () => {
    const mtime = new Date('2023-01-02T03:04:05.000Z');
    const dir = pollDir({ 'squeue.json': '{}' }, mtime);
    const [poll] = await collect(new ReplaySource({ dirs: [dir] }));
    expect(poll!.outputs[0]!.observedAt).toBe(mtime.toISOString());
  });

  it('advances one directory per queue() call; nodes() and accounting() read the current one', async () => {
    const a = pollDir({ 'squeue.json': 'q1', 'sinfo.json': 'n1', 'sacct.json': 'a1' });
    const b = pollDir({ 'squeue.json': 'q2', 'sinfo.json': 'n2', 'sacct.json': 'a2' });
    const source = new ReplaySource({ dirs: [a, b] });
    expect((await source.nodes()).body).toBe('n1');
    expect((await source.queue()).body).toBe('q1');
    expect((await source.nodes()).body).toBe('n1');
    expect((await source.accounting()).body).toBe('a1');
    expect(source.finished).toBe(false);
    expect((await source.queue()).body).toBe('q2');
    expect((await source.accounting()).body).toBe('a2');
    expect(source.finished).toBe(true);
    await expect(source.queue()).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: 'replay finished: all 2 directories were read',
    });
    expect((await source.nodes()).body).toBe('n2');
  });

  it('prefers the format it was built for and falls back to the other one', async () => {
    const dir = pollDir({ 'squeue.json': 'json', 'squeue.txt': 'text', 'sinfo.txt': 'text only' });
    expect(await new ReplaySource({ dirs: [dir] }).queue()).toMatchObject({
      format: 'json',
      body: 'json',
    });
    const text = new ReplaySource({ dirs: [dir], format: 'text' });
    expect(await text.queue()).toMatchObject({ format: 'text', body: 'text' });
    expect(await new ReplaySource({ dirs: [dir] }).nodes()).toMatchObject({
      kind: 'sinfo',
      format: 'text',
      body: 'text only',
    });
  });

  it('fails a poll whose directory lacks that output, like a command that failed', async () => {
    const dir = pollDir({ 'squeue.json': '{}' });
    await expect(new ReplaySource({ dirs: [dir] }).nodes()).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
      message: expect.stringContaining('has no sinfo.json or sinfo.txt'),
    });
  });

  it('refuses an observed-at.txt that is not an ISO time, and a directory that does not exist', async () => {
    const bad = pollDir({ 'squeue.json': '{}', 'observed-at.txt': 'yesterday' });
    await expect(collect(new ReplaySource({ dirs: [bad] }))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'observed-at.txt',
    });
    await expect(new ReplaySource({ dirs: [join(root, 'missing')] }).queue()).rejects.toMatchObject(
      { code: 'INVALID_REQUEST', field: 'dirs' },
    );
    expect(() => new ReplaySource({ dirs: [] })).toThrow(/at least one directory/);
  });

  it('is read-only: submit and cancel are refused', async () => {
    const source = new ReplaySource({ dirs: [pollDir({})] });
    await expect(source.submit()).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('replay is read-only'),
    });
    await expect(source.cancel()).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('replay is read-only'),
    });
    expect(source.simulated).toBe(false);
  });

  it('starts a fresh pass at every polls() call, whatever queue() did', async () => {
    const a = pollDir({ 'squeue.json': 'q1' });
    const source = new ReplaySource({ dirs: [a] });
    await source.queue();
    expect((await collect(source)).map((p) => p.dir)).toEqual([a]);
    expect((await collect(source)).map((p) => p.dir)).toEqual([a]);
  });
});

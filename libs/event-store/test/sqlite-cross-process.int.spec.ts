import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { until } from '@clocktower/testing';
import { SqliteEventStore, type RecordedEvent } from '../src/index.js';

const root = resolve(import.meta.dirname, '../../..');

// The writer runs the built adapter in a real second process, as a collector beside a projection would.
const WRITER = `
import { SqliteEventStore } from '@clocktower/event-store';
const [file, count, writer] = process.argv.slice(1);
const store = SqliteEventStore.open({ file });
for (let i = 1; i <= Number(count); i++) {
  const id = writer + '-' + i;
  await store.append('xproc-stream', [{ type: 'Written', schemaVersion: 1, eventId: id, correlationId: id, causationId: id, occurredAt: new Date().toISOString(), data: { i } }], { expectedRevision: 'any' });
}
await store.close();
`;

function runWriter(file: string, count: number, writer: string): Promise<number | null> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', WRITER, file, String(count), writer],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', resolvePromise);
  });
}

describe('sqlite event store across processes', () => {
  it('delivers to a live subscription what another process appends to the same file, each once, in order', async () => {
    if (!existsSync(join(root, 'libs/event-store/dist/index.js'))) {
      throw new Error(
        'libs/event-store is not built: run `npm run build` (npm test does it first)',
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'ct-xproc-'));
    const file = join(dir, 'events.db');
    const store = SqliteEventStore.open({ file, idlePollMs: 10 });
    const seen: RecordedEvent[] = [];
    let caughtUp = false;
    const subscription = store.subscribeToAll((e) => void seen.push(e), {
      onCaughtUp: () => (caughtUp = true),
    });
    await until('catch-up', () => caughtUp);
    // Two writer processes at once: positions interleave, the subscriber must still see every one.
    const codes = await Promise.all([runWriter(file, 150, 'a'), runWriter(file, 150, 'b')]);
    expect(codes).toEqual([0, 0]);
    await until('all 300 events', () => seen.length >= 300, 20_000);
    await subscription.stop();
    await store.close();
    const positions = seen.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(300);
    expect(seen.map((e) => e.revision)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    rmSync(dir, { recursive: true, force: true });
  });
});

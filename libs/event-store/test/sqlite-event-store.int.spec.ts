import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreUnavailableError, SqliteEventStore } from '../src/index.js';
import { eventStoreContract, testEvent } from './event-store.contract.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ct-sqlite-'));
}

eventStoreContract('sqlite', () => {
  const dir = tempDir();
  const file = join(dir, 'events.db');
  return Promise.resolve({
    store: SqliteEventStore.open({ file, idlePollMs: 20 }),
    openAnother: () => Promise.resolve(SqliteEventStore.open({ file })),
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

describe('sqlite event store: the file itself', () => {
  it('refuses a corrupt file at open with a clear error, and leaves the file as it was', () => {
    const dir = tempDir();
    const file = join(dir, 'events.db');
    writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(200));
    expect(() => SqliteEventStore.open({ file })).toThrow(EventStoreUnavailableError);
    expect(() => SqliteEventStore.open({ file })).toThrow(/not a valid Clocktower event store/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file locked by another process at open, naming the file and what to do', async () => {
    const dir = tempDir();
    const file = join(dir, 'events.db');
    const first = SqliteEventStore.open({ file });
    await first.append('job-1', [testEvent(1)], { expectedRevision: 'no_stream' });
    await first.close();
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => SqliteEventStore.open({ file, busyTimeoutMs: 50 })).toThrow(
        /locked by another process.*CLOCKTOWER_DATA/,
      );
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const reopened = SqliteEventStore.open({ file });
    expect(await reopened.headPosition()).toBe(1n);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file written by a newer schema', () => {
    const dir = tempDir();
    const file = join(dir, 'events.db');
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteEventStore.open({ file })).toThrow(/newer Clocktower/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('sqlite event store: the data text it read', () => {
  it('hands out the stored JSON of each event as dataJson, which is not part of the event itself', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open({ file: join(dir, 'events.db') });
    const written = testEvent(7);
    await store.append('job-1', [written], { expectedRevision: 'no_stream' });
    const read = [];
    for await (const event of store.readAll()) read.push(event);
    for await (const event of store.readStream('job-1')) read.push(event);
    for (const event of read) {
      expect(event.dataJson).toBe(JSON.stringify(written.data));
      expect(JSON.parse(event.dataJson!)).toEqual(event.data);
      // Not an own property: serializing, spreading or comparing the event leaves it out.
      expect(Object.keys(event)).not.toContain('dataJson');
      expect(
        JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
      ).not.toContain('dataJson');
      expect({ ...event }).not.toHaveProperty('dataJson');
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('sqlite event store: files written by an older build', () => {
  it('lifts a schema 1 file (recorded_at in epoch milliseconds) on open, keeping every event', async () => {
    const dir = tempDir();
    const file = join(dir, 'events.db');
    const store = SqliteEventStore.open({ file });
    await store.append('job-1', [testEvent(1)], { expectedRevision: 'no_stream' });
    await store.close();
    const db = new Database(file);
    db.exec('UPDATE events SET recorded_at = 1795276800123');
    db.pragma('user_version = 1');
    db.close();
    const reopened = SqliteEventStore.open({ file });
    const events = [];
    for await (const event of reopened.readStream('job-1')) events.push(event);
    expect(events.map((e) => e.recordedAt)).toEqual([new Date(1795276800123).toISOString()]);
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

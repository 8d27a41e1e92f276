import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import {
  ReadModelSchemaError,
  SqliteReadModel,
} from '../../src/adapters/store/sqlite-read-model.js';
import { SCHEMA_VERSION } from '../../src/adapters/store/read-model.schema.js';
import { applyInBatches, history, openTempModel } from './read-model-support.js';

const events = history({ seed: 5, jobs: 300, clusters: 2, nodes: 8, users: 6, accounts: 3 });

let cleanUp: (() => void) | undefined;
afterEach(() => {
  cleanUp?.();
  cleanUp = undefined;
});

/** What the totals answer: per cluster, per cluster and partition, per state. */
function totals(model: SqliteReadModel) {
  return {
    clusters: model.listClusters({}).map((c) => ({ cluster: c.cluster, jobs: c.jobsByState })),
    alphaCpu: model.listJobs({ cluster: 'alpha', partition: 'cpu', limit: 1 }).total,
    alphaCpuRunning: model.listJobs({
      cluster: 'alpha',
      partition: 'cpu',
      state: ['running'],
      limit: 1,
    }).total,
    betaPending: model.listJobs({ cluster: 'beta', state: ['pending'], limit: 1 }).total,
  };
}

describe('a read model written by an older schema', () => {
  it('is migrated when opened: schema 1 had job_totals per (cluster, state) only, and other indexes', () => {
    const temp = openTempModel();
    cleanUp = () => temp.dispose();
    applyInBatches(temp.model, events, 200);
    const expected = totals(temp.model);
    expect(expected.alphaCpu).toBeGreaterThan(0);
    temp.model.close();

    // The file as schema 1 left it.
    const db = new Database(temp.file);
    db.exec(`
      DROP INDEX jobs_user;
      CREATE INDEX jobs_user ON jobs (user, submit_time, state);
      DROP TABLE job_totals;
      CREATE TABLE job_totals (
        cluster TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (cluster, state)) WITHOUT ROWID;
      INSERT INTO job_totals SELECT cluster, state, SUM(n) FROM job_counts GROUP BY cluster, state;
    `);
    db.pragma('user_version = 1');
    db.close();

    const reopened = SqliteReadModel.open(temp.file);
    cleanUp = () => {
      reopened.close();
      temp.dispose();
    };
    expect(totals(reopened)).toEqual(expected);
    const check = new Database(temp.file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(
      check
        .prepare('SELECT COUNT(*) AS n FROM pragma_table_info(?) WHERE name = ?')
        .get('job_totals', 'partition'),
    ).toEqual({ n: 1 });
    // The user's index orders equal submit times by id, as pages are.
    expect(
      check
        .prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno')
        .all('jobs_user')
        .map((r) => (r as { name: string }).name),
    ).toEqual(['user', 'submit_time', 'id', 'state']);
    check.close();
  });

  it('is refused, naming the file and both versions, when it is newer than this build', () => {
    const temp = openTempModel();
    temp.model.close();
    cleanUp = () => temp.dispose();
    const db = new Database(temp.file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => SqliteReadModel.open(temp.file)).toThrow(ReadModelSchemaError);
    expect(() => SqliteReadModel.open(temp.file)).toThrow(
      `read model ${temp.file} has schema ${SCHEMA_VERSION + 1}, this build knows ${SCHEMA_VERSION}`,
    );
  });
});

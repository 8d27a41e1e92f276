import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@clocktower/event-store';
import { SimulatorSource } from '../../src/adapters/simulator/simulator.source.js';
import type { SlurmSource } from '../../src/adapters/sources/slurm-source.port.js';
import { ClusterPoller, type PollKind } from '../../src/app/polling/cluster-poller.js';
import {
  CapturingLogger,
  CrashingStore,
  comparable,
  readStreams,
  revisionProblems,
} from './collector-support.js';

/**
 * "Kill the collector in the middle of a poll and restart it: the history is the same as without
 * the kill." Made deterministic with the simulator on a fake clock and a real SQLite file: run A
 * polls uninterrupted; run B is the same cluster (seed, clock) but its store fails one chosen
 * append of one poll — before it reaches the store (the process died after appending part of the
 * poll's decisions) or after (it died before folding what it appended). Then a new ClusterPoller
 * opens the same file, hydrates, and goes on. A fast restart happens before the cluster moves on,
 * so the restarted collector first sees what the killed one saw (the fake clock has not moved).
 */

const CLUSTER = 'sim';
const SEED = 7;
const START = Date.parse('2026-01-05T08:00:00Z');
const POLLS = 40;
const EVERY_MS = 15_000;

interface Step {
  readonly at: number;
  readonly kind: PollKind;
}

/** Queue every 15 s, nodes every 30 s, an accounting sweep every minute (virtual time). */
const STEPS: readonly Step[] = Array.from({ length: POLLS }, (_, i) => {
  const at = START + i * EVERY_MS;
  // The sweep goes before the queue poll of its instant, so it is first to see some changes.
  return [
    ...(i % 2 === 0 ? [{ at, kind: 'nodes' as const }] : []),
    ...(i % 4 === 3 ? [{ at, kind: 'accounting' as const }] : []),
    { at, kind: 'queue' as const },
  ];
}).flat();

interface Crash {
  /** Index in STEPS of the poll that crashes. */
  readonly step: number;
  /** Which append of that poll fails (1 = its first). */
  readonly append: number;
  readonly when: 'before' | 'after';
  /** `restart`: a new poller on the same file, hydrated. `same`: the poller that saw the failure. */
  readonly then: 'restart' | 'same';
  /** Whether the crashed poll runs again at the same instant before the later ones. */
  readonly rerun: boolean;
}

interface Run {
  readonly streams: Map<string, RecordedEvent[]>;
  /** How many appends each step made (the crashed step: before the crash). */
  readonly appends: number[];
  readonly failedAfterCrash: number;
  readonly sweeps: { readonly since: Date; readonly until: Date }[];
  readonly logger: CapturingLogger;
}

/** Records each accounting window the poller asks for. */
class WindowSpy implements SlurmSource {
  readonly sweeps: { since: Date; until: Date }[] = [];
  readonly description: string;
  readonly simulated: boolean;
  constructor(private readonly inner: SlurmSource) {
    this.description = inner.description;
    this.simulated = inner.simulated;
  }
  queue = () => this.inner.queue();
  nodes = () => this.inner.nodes();
  accounting = (since: Date, until: Date) => {
    this.sweeps.push({ since, until });
    return this.inner.accounting(since, until);
  };
  submit = () => Promise.reject(new Error('not here'));
  cancel = () => Promise.reject(new Error('not here'));
  close = () => this.inner.close();
}

describe('collector restart after a crash in the middle of a poll (simulator, SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-restart-'));
  let files = 0;
  let baseline: Run;

  async function collect(crash?: Crash): Promise<Run> {
    const file = join(dir, `events-${++files}.sqlite`);
    const clock = { now: START };
    const logger = new CapturingLogger();
    // The cluster outlives the collector: one simulator for the whole run, crash or not.
    const source = new WindowSpy(
      new SimulatorSource({
        now: () => clock.now,
        seed: SEED,
        speed: 1,
        clusterName: CLUSTER,
        // Busy enough that every kind of poll has several changes to append.
        cluster: {
          arrivalsPerHour: 1_200,
          incidents: { drainsPerDay: 300, failuresPerDay: 100, meanRepairSeconds: 120 },
        },
      }),
    );
    const open = async () => {
      const store = new CrashingStore(SqliteEventStore.open({ file }));
      const poller = new ClusterPoller({
        cluster: CLUSTER,
        source,
        store,
        logger,
        clock: () => new Date(clock.now),
      });
      await poller.hydrate();
      return { store, poller };
    };
    let { store, poller } = await open();
    const appends: number[] = [];
    let failedAtCrash = 0;
    for (const [i, step] of STEPS.entries()) {
      clock.now = step.at;
      const before = store.appends;
      if (crash?.step === i) store.crashOnAppend(before + crash.append, crash.when);
      await poller.poll(step.kind);
      appends.push(store.appends - before);
      if (crash?.step !== i) continue;
      failedAtCrash = poller.status().polls.failed;
      if (crash.then === 'restart') {
        // The process is gone: its poller with it; the file is all that is left.
        await store.close();
        ({ store, poller } = await open());
        failedAtCrash = 0;
      }
      if (crash.rerun) await poller.poll(step.kind);
    }
    const failedAfterCrash = poller.status().polls.failed - failedAtCrash;
    const streams = await readStreams(store);
    await store.close();
    return { streams, appends, failedAfterCrash, sweeps: source.sweeps, logger };
  }

  /** The busiest poll of a kind in the middle half of the run, and an append half-way into it. */
  function crashIn(kind: PollKind, when: Crash['when'], then: Crash['then'], rerun = true): Crash {
    let best = -1;
    for (let i = Math.floor(STEPS.length / 4); i < (STEPS.length * 3) / 4; i++) {
      if (STEPS[i]!.kind !== kind) continue;
      if (best === -1 || baseline.appends[i]! > baseline.appends[best]!) best = i;
    }
    const appends = baseline.appends[best]!;
    if (!(appends > 0)) throw new Error(`no ${kind} poll of the baseline appended anything`);
    return { step: best, append: Math.max(1, Math.ceil(appends / 2)), when, then, rerun };
  }

  const all = (run: Run) =>
    [...run.streams.keys()].sort().flatMap((stream) => comparable(run.streams.get(stream)!));

  beforeAll(async () => {
    baseline = await collect();
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a baseline with several changes per poll of every kind', () => {
    expect(revisionProblems(baseline.streams)).toEqual([]);
    expect(baseline.failedAfterCrash).toBe(0);
    for (const kind of ['queue', 'nodes'] as const)
      expect(
        Math.max(...STEPS.map((s, i) => (s.kind === kind ? baseline.appends[i]! : 0))),
      ).toBeGreaterThanOrEqual(3);
    expect(
      Math.max(...STEPS.map((s, i) => (s.kind === 'accounting' ? baseline.appends[i]! : 0))),
    ).toBeGreaterThanOrEqual(1);
  });

  for (const kind of ['queue', 'nodes', 'accounting'] as const) {
    it(`keeps the same history when killed half-way through appending a ${kind} poll and restarted`, async () => {
      const crash = crashIn(kind, 'before', 'restart');
      const run = await collect(crash);
      expect(run.appends[crash.step]).toBe(crash.append);
      expect(all(run)).toEqual(all(baseline));
      expect(revisionProblems(run.streams)).toEqual([]);
      expect(run.failedAfterCrash).toBe(0);
    }, 60_000);
  }

  it('appends no duplicate when killed after an append but before folding it, then restarted', async () => {
    const crash = crashIn('queue', 'after', 'restart');
    const run = await collect(crash);
    expect(all(run)).toEqual(all(baseline));
    expect(revisionProblems(run.streams)).toEqual([]);
  }, 60_000);

  it('appends no duplicate when the same poller runs the same poll again after such a failure', async () => {
    const crash = crashIn('queue', 'after', 'same');
    const run = await collect(crash);
    expect(all(run)).toEqual(all(baseline));
    expect(revisionProblems(run.streams)).toEqual([]);
    expect(run.logger.at('error')).toEqual([
      expect.objectContaining({ msg: 'appending poll results failed', poll: 'queue' }),
    ]);
  }, 60_000);

  it('sweeps again the accounting window whose append failed', async () => {
    const crash = crashIn('accounting', 'before', 'same', false);
    const run = await collect(crash);
    const failed = run.sweeps.findIndex((s) => s.until.getTime() === STEPS[crash.step]!.at);
    const next = run.sweeps[failed + 1]!;
    expect(next.since.getTime()).toBeLessThanOrEqual(run.sweeps[failed]!.since.getTime());
  }, 60_000);
});

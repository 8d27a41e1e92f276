#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { LoggerService } from '@nestjs/common';
import { ConfigError, parseConfig } from '@clocktower/config';
import { ListProjections, RebuildProjection, type RebuildProgress } from '@clocktower/contracts';
import { BusClient } from '@clocktower/messaging';
import { BusKind, connectMessageBus, openEventStore } from '@clocktower/platform';
import { SqliteReadModel } from '../adapters/store/sqlite-read-model.js';
import type { ReadModel } from '../adapters/store/read-model.port.js';
import { JobProjectionConfig } from './config.js';
import { carryPollTimes, JOBS_PROJECTION } from './projector/jobs-projection.service.js';
import { ProjectionRebuild, type SwitchOver } from './projector/projection.rebuild.js';
import { ReadModelFiles, type ProjectionLock } from './projector/read-model.files.js';

const USAGE = `usage: npm run projection -- <command> [--data DIR] [--local]

commands:
  rebuild   replay the whole event store into a fresh jobs read model, then switch to it
  status    print the jobs read model's position, the store's head position and the lag

options:
  --data DIR   the data directory (default: CLOCKTOWER_DATA, else ./data)
  --local      rebuild in this process even while the service runs on this data directory

Configuration comes from the environment, as for the service: CLOCKTOWER_STORE, EVENTSTORE_URL,
CLOCKTOWER_DATA, CLOCKTOWER_PROJECTION_DB, CLOCKTOWER_BUS, NATS_URL. Progress goes to stderr, the
summary to stdout. While job-projection runs on the same data directory, \`rebuild\` asks it over
the bus to rebuild (the same as POST /api/v1/admin/projections/jobs/rebuild) and follows its
progress; with --local it rebuilds here instead, and the running service keeps answering from the
model it has open until it is restarted.`;

function fail(message: string, code = 2): never {
  process.stderr.write(`projection: ${message}\n`);
  if (code === 2) process.stderr.write(`\n${USAGE}\n`);
  process.exit(code);
}

/** Warnings and errors to stderr as text: stdout is for the summary. */
const logger: LoggerService = {
  log: () => undefined,
  warn: (message: unknown) => process.stderr.write(`projection: warning: ${text(message)}\n`),
  error: (message: unknown) => process.stderr.write(`projection: error: ${text(message)}\n`),
};

function text(message: unknown): string {
  if (typeof message !== 'object' || message === null) return String(message);
  const { msg, ...rest } = message as Record<string, unknown>;
  return `${String(msg)} ${JSON.stringify(rest)}`;
}

const count = (n: number): string => n.toLocaleString('en-US');

function progressLine(p: RebuildProgress): string {
  const percent = p.eventsTotal > 0 ? Math.min(100, (p.eventsDone / p.eventsTotal) * 100) : 100;
  const eta = p.etaSeconds === null ? 'ETA unknown' : `ETA ${p.etaSeconds} s`;
  return `rebuild ${JOBS_PROJECTION}: ${count(p.eventsDone)} / ${count(p.eventsTotal)} events (${percent.toFixed(0)}%), ${count(p.eventsPerSecond)} events/s, ${eta}`;
}

function summary(p: RebuildProgress, file: string | undefined): string {
  const seconds =
    ((p.finishedAt ? Date.parse(p.finishedAt) : Date.now()) - Date.parse(p.startedAt)) / 1000;
  return [
    `rebuilt ${JOBS_PROJECTION}: ${count(p.eventsDone)} events in ${seconds.toFixed(1)} s (${count(p.eventsPerSecond)} events/s)`,
    ...(file ? [`read model: ${file}`] : []),
  ].join('\n');
}

function describe(lock: ProjectionLock): string {
  return `${lock.role === 'service' ? 'job-projection' : 'a rebuild from the command line'} (pid ${lock.pid} on ${lock.host}, since ${lock.startedAt})`;
}

// --- arguments and configuration (the one place this command reads its environment) ---
const args = process.argv.slice(2);
let command: string | undefined;
let dataDir: string | undefined;
let local = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--data') dataDir = args[++i] ?? fail('--data needs a directory');
  else if (arg.startsWith('--data=')) dataDir = arg.slice('--data='.length);
  else if (arg === '--local') local = true;
  else if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
  else if (command === undefined) command = arg;
  else fail(`unexpected argument ${arg}`);
}
if (command !== 'rebuild' && command !== 'status') {
  fail(command === undefined ? 'give a command' : `unknown command ${command}`);
}

let config: JobProjectionConfig;
try {
  config = parseConfig(JobProjectionConfig, {
    ...process.env,
    ...(dataDir === undefined ? {} : { CLOCKTOWER_DATA: dataDir }),
  });
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const files = ReadModelFiles.fromConfig(config);
if (files.inMemory) {
  fail(
    'with CLOCKTOWER_STORE=memory the store and the read model live inside the service only; rebuild over the bus or the admin API',
    1,
  );
}

process.exit(command === 'status' ? await status() : await rebuild());

// --- commands ---
async function status(): Promise<number> {
  const store = await openEventStore(config);
  try {
    const head = await store.headPosition();
    const file = files.activeFile();
    let position = 0n;
    let parked = 0;
    if (existsSync(file)) {
      const model = SqliteReadModel.open(file);
      position = model.position();
      parked = model.parkedCount();
      model.close();
    }
    const lag = head > position ? head - position : 0n;
    const lock = files.heldElsewhere();
    process.stdout.write(
      [
        `projection ${JOBS_PROJECTION}: position ${position}, head ${head}, lag ${lag}, parked ${parked}`,
        `read model: ${existsSync(file) ? file : `${file} (not created yet)`}`,
        `writer: ${lock ? describe(lock) : 'none running'}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await store.close();
  }
}

async function rebuild(): Promise<number> {
  const holder = files.heldElsewhere();
  if (holder?.role === 'cli') {
    return fail(`${describe(holder)} is already rebuilding this read model`, 1);
  }
  if (holder && !local) return rebuildThroughService(holder);
  if (holder) {
    process.stderr.write(
      `projection: ${describe(holder)} runs on this read model; rebuilding here anyway (--local): it keeps answering from the model it has open until restarted\n`,
    );
  } else {
    files.lock('cli', new Date());
  }
  const store = await openEventStore(config);
  let lastPrinted = 0;
  const rebuilder = new ProjectionRebuild({
    projection: JOBS_PROJECTION,
    store,
    files,
    openModel: (file) => SqliteReadModel.openFresh(file),
    logger,
    onProgress: (p) => {
      if (Date.now() - lastPrinted < 1_000) return;
      lastPrinted = Date.now();
      process.stderr.write(`${progressLine(p)}\n`);
    },
  });
  let installedFile: string | undefined;
  const switchOver: SwitchOver = {
    // Nothing follows the store in this process: there is nothing to pause or resume.
    pause: async () => undefined,
    resume: () => undefined,
    install: (next: ReadModel, file: string) => {
      const oldFile = files.activeFile();
      if (existsSync(oldFile)) {
        const old = SqliteReadModel.open(oldFile);
        try {
          carryPollTimes(old, next);
        } finally {
          old.close();
        }
      }
      files.activate(file);
      next.close();
      if (oldFile !== file) files.remove(oldFile);
      installedFile = file;
    },
  };
  process.once('SIGINT', () => void rebuilder.abort());
  process.once('SIGTERM', () => void rebuilder.abort());
  try {
    rebuilder.start(switchOver);
    await rebuilder.whenDone();
  } finally {
    await store.close();
    files.unlock();
  }
  const p = rebuilder.progress()!;
  if (p.error !== null) {
    process.stderr.write(`projection: rebuild failed, the read model is unchanged: ${p.error}\n`);
    return 1;
  }
  process.stderr.write(`${progressLine(p)}\n`);
  process.stdout.write(`${summary(p, installedFile)}\n`);
  return 0;
}

/** The service has the read model open: it rebuilds (same code), and this follows its progress. */
async function rebuildThroughService(holder: ProjectionLock): Promise<number> {
  if (config.bus !== BusKind.Nats) {
    return fail(
      `${describe(holder)} runs on this read model, and with CLOCKTOWER_BUS=${config.bus} this command cannot reach it: use POST /api/v1/admin/projections/jobs/rebuild, stop it first, or pass --local`,
      1,
    );
  }
  process.stderr.write(
    `projection: ${describe(holder)} runs on this read model; asking it over NATS to rebuild\n`,
  );
  const bus = await connectMessageBus(config, 'clocktower-projection-cli', logger);
  try {
    const client = new BusClient(bus);
    const reply = await client.request(RebuildProjection, { name: JOBS_PROJECTION });
    if (!reply.started)
      process.stderr.write('projection: a rebuild was already running; following it\n');
    const startedAt = reply.status.rebuild?.startedAt;
    for (;;) {
      await delay(1_000);
      const [status] = await client.request(ListProjections, {});
      const progress = status?.rebuild;
      if (!progress || progress.startedAt !== startedAt) continue;
      if (progress.finishedAt === null) {
        process.stderr.write(`${progressLine(progress)}\n`);
        continue;
      }
      if (progress.error !== null) {
        process.stderr.write(
          `projection: rebuild failed, the read model is unchanged: ${progress.error}\n`,
        );
        return 1;
      }
      process.stdout.write(`${summary(progress, undefined)}\n`);
      return 0;
    }
  } catch (error) {
    process.stderr.write(
      `projection: ${describe(holder)} did not answer over NATS (${error instanceof Error ? error.message : String(error)}); if it is not running, pass --local\n`,
    );
    return 1;
  } finally {
    await bus.close();
  }
}

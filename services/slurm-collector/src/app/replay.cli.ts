#!/usr/bin/env node
import { resolve } from 'node:path';
import { ReplaySource } from '../adapters/sources/replay.source.js';
import { Replay } from './replay/replay.js';

const USAGE = `usage: npm run replay -- --cluster NAME [--state] DIR [DIR ...]

Reads the directories in order, one poll each, and prints what Clocktower records: the events as
NDJSON (one {"type","stream","revision","eventId","occurredAt","data",...} a line), or with --state
the final folded state as one JSON object {"jobs": [...], "nodes": [...]}. No store, no server.
A directory may hold squeue.json, sacct.json, sinfo.json, squeue.txt, sacct.txt, sinfo.txt,
scontrol-jobs.txt, scontrol-nodes.txt, and observed-at.txt (ISO time of the poll).`;

function fail(message: string): never {
  process.stderr.write(`replay: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let cluster: string | undefined;
let state = false;
const dirs: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--cluster') cluster = args[++i] ?? fail('--cluster needs a name');
  else if (arg.startsWith('--cluster=')) cluster = arg.slice('--cluster='.length);
  else if (arg === '--state') state = true;
  else if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
  else dirs.push(resolve(arg));
}
if (!cluster) fail('--cluster NAME is required');
if (!/^[a-z0-9][a-z0-9_.]*$/.test(cluster))
  fail(`cluster name ${JSON.stringify(cluster)} must be lowercase letters, digits, "_" and "."`);
if (dirs.length === 0) fail('give at least one directory');

// `npm run replay … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) =>
  process.exit(error.code === 'EPIPE' ? 0 : 1),
);

const replay = new Replay(cluster);
const source = new ReplaySource({ dirs });
await replay.run(source.polls(), (event) => {
  if (!state) {
    const { type, stream, revision, ...rest } = event;
    process.stdout.write(`${JSON.stringify({ type, stream, revision, ...rest })}\n`);
  }
});
if (state) process.stdout.write(`${JSON.stringify(replay.snapshot())}\n`);
for (const failure of replay.failures) {
  process.stderr.write(
    `replay: poll ${failure.dir} failed, nothing from it was recorded: ${failure.reason}\n`,
  );
}
process.exit(replay.failures.length > 0 ? 1 : 0);

#!/usr/bin/env node
import { runUsersCli } from './users-cli.program.js';

// `npm run users -- list | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) =>
  process.exit(error.code === 'EPIPE' ? 0 : 1),
);

// The one place the users CLI reads its arguments and environment.
process.exitCode = await runUsersCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});

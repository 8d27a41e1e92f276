import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { HOSTILE_ARGUMENTS } from '../../../test/sources/hostile-strings.js';
import { shellCommand, shellQuote } from './shell-quote.js';

const run = promisify(execFile);

describe('shell quoting for the remote shell', () => {
  it('wraps an argument in single quotes and writes a quote as close-escape-reopen', () => {
    expect(shellQuote('plain')).toBe("'plain'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });

  it('joins an argv into one command line, every element quoted', () => {
    expect(shellCommand(['squeue', '--json'])).toBe("'squeue' '--json'");
  });

  it('refuses a NUL, which no argv can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('refuses an empty argv', () => {
    expect(() => shellCommand([])).toThrow(/empty argv/);
  });

  it.each(['sh', 'bash'])(
    'makes %s see every hostile argument exactly as given, and run nothing',
    async (shell) => {
      const line = shellCommand(['printf', '%s\\0', ...HOSTILE_ARGUMENTS]);
      const { stdout } = await run(shell, ['-c', line]);
      expect(stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGUMENTS);
    },
  );
});

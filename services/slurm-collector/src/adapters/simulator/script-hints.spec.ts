import { describe, expect, it } from '@jest/globals';
import { scriptHints } from './script-hints.js';

describe('scriptHints', () => {
  it('sums the sleeps and takes the last exit', () => {
    expect(
      scriptHints('#!/bin/bash\nsleep 30\npython train.py; sleep 1m\nexit 2\nexit 3\n'),
    ).toEqual({ runtimeSeconds: 90, exitCode: 3 });
  });

  it('ignores comments and #SBATCH lines, and gives nothing for a script without hints', () => {
    expect(scriptHints('#!/bin/sh\n#SBATCH --time=5\n# sleep 100\necho done\n')).toEqual({});
  });
});

import { describe, expect, it } from '@jest/globals';
import { SimulatedCommandRejectedError } from './simulator.errors.js';
import { parseArraySpec, signalEndsJob } from './submit-request.js';

describe('parseArraySpec', () => {
  it('reads ranges, lists, steps and the %N limit', () => {
    expect(parseArraySpec('1-4')).toEqual({ tasks: [1, 2, 3, 4], maxRunning: 0 });
    expect(parseArraySpec('0,3,5-7%2')).toEqual({ tasks: [0, 3, 5, 6, 7], maxRunning: 2 });
    expect(parseArraySpec('1-9:4')).toEqual({ tasks: [1, 5, 9], maxRunning: 0 });
  });

  it('refuses a range past MaxArraySize or backwards', () => {
    expect(() => parseArraySpec('1-5000')).toThrow(SimulatedCommandRejectedError);
    expect(() => parseArraySpec('5-1')).toThrow(SimulatedCommandRejectedError);
  });
});

describe('signalEndsJob', () => {
  it('ends the job for a plain scancel and for KILL, TERM, INT; not for USR1', () => {
    expect(signalEndsJob(undefined)).toBe(true);
    expect(signalEndsJob('SIGKILL')).toBe(true);
    expect(signalEndsJob('15')).toBe(true);
    expect(signalEndsJob('USR1')).toBe(false);
    expect(() => signalEndsJob('NOPE')).toThrow(SimulatedCommandRejectedError);
  });
});

import { describe, expect, it } from '@jest/globals';
import { MAX_JOB_USER_PROPS_LENGTH } from '@clocktower/contracts';
import {
  decideJobUserProps,
  JobUserPropsTooLargeError,
  pythonFloatRepr,
} from './job-user-props.decider.js';

const ref = { cluster: 'mila', jobId: '42', userId: 'u1' };

describe('decideJobUserProps', () => {
  it('records a set with the updates as given', () => {
    expect(
      decideJobUserProps(ref, { a: 1 }, { type: 'SetJobUserProps', updates: { b: 'x' } }),
    ).toEqual([{ type: 'JobUserPropsSet', data: { ...ref, updates: { b: 'x' } } }]);
  });

  it('records nothing for an empty set', () => {
    expect(decideJobUserProps(ref, { a: 1 }, { type: 'SetJobUserProps', updates: {} })).toEqual([]);
  });

  it('refuses a set that would take the props past 2 MiB as json.dumps writes them, in Clockwork words', () => {
    // {"big": "…"} is 11 characters of json.dumps around the value.
    const fits = { big: 'x'.repeat(MAX_JOB_USER_PROPS_LENGTH - 11) };
    expect(decideJobUserProps(ref, {}, { type: 'SetJobUserProps', updates: fits })).toHaveLength(1);
    const tooMuch = { big: 'x'.repeat(MAX_JOB_USER_PROPS_LENGTH - 10) };
    expect(() =>
      decideJobUserProps(ref, {}, { type: 'SetJobUserProps', updates: tooMuch }),
    ).toThrow(JobUserPropsTooLargeError);
    expect(() =>
      decideJobUserProps(
        ref,
        { old: 'y'.repeat(1_048_576) },
        {
          type: 'SetJobUserProps',
          updates: { big: 'x'.repeat(1_048_576) },
        },
      ),
    ).toThrow(
      /^Too huge job-user props: maximum 2\.0 Mbytes \(previous: 1\.00001049041748\d* Mbytes, updates: 1\.00001049041748\d* Mbytes\)$/,
    );
  });

  it('records a delete of only the keys that are there, once each', () => {
    expect(
      decideJobUserProps(
        ref,
        { a: 1, b: 2 },
        { type: 'DeleteJobUserProps', keys: ['a', 'a', 'z'] },
      ),
    ).toEqual([{ type: 'JobUserPropsDeleted', data: { ...ref, keys: ['a'] } }]);
    expect(decideJobUserProps(ref, { a: 1 }, { type: 'DeleteJobUserProps', keys: ['z'] })).toEqual(
      [],
    );
  });
});

describe('pythonFloatRepr', () => {
  // Expected values are Python 3.11's repr of the same floats.
  it.each([
    [2, '2.0'],
    [0.5, '0.5'],
    [1.9073486328125e-6, '1.9073486328125e-06'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [123.456, '123.456'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1 / 3, '0.3333333333333333'],
    [0.00011444091796875, '0.00011444091796875'],
    [1e22, '1e+22'],
  ])('prints %p as Python does: %s', (value, text) => {
    expect(pythonFloatRepr(value)).toBe(text);
  });
});

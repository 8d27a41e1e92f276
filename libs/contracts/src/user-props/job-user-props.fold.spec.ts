import { describe, expect, it } from '@jest/globals';
import { evolveJobUserProps } from './job-user-props.fold.js';

describe('evolveJobUserProps', () => {
  it('merges a set one key deep: a value replaces the old one whole, other keys stay', () => {
    const before = { tracker: 'https://wandb.ai/x', config: { lr: 0.1, bs: 32 } };
    const after = evolveJobUserProps(before, {
      type: 'JobUserPropsSet',
      data: { updates: { config: { lr: 0.2 }, note: 'rerun' } },
    });
    expect(after).toEqual({ tracker: 'https://wandb.ai/x', config: { lr: 0.2 }, note: 'rerun' });
    expect(before.config).toEqual({ lr: 0.1, bs: 32 });
  });

  it('drops the deleted keys and ignores keys that are not there', () => {
    const after = evolveJobUserProps(
      { a: 1, b: 2 },
      { type: 'JobUserPropsDeleted', data: { keys: ['a', 'zzz'] } },
    );
    expect(after).toEqual({ b: 2 });
  });

  it('keeps a key named __proto__ as an ordinary key, never the prototype', () => {
    const updates = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const after = evolveJobUserProps({}, { type: 'JobUserPropsSet', data: { updates } });
    expect(Object.keys(after)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
  });
});

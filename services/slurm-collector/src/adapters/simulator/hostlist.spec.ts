import { describe, expect, it } from '@jest/globals';
import { compressHostList, formatRanges } from './hostlist.js';

describe('compressHostList', () => {
  it('prints one node as itself and a run of nodes as a bracketed range, padding kept', () => {
    expect(compressHostList(['node01'])).toBe('node01');
    expect(compressHostList(['node02', 'node01'])).toBe('node[01-02]');
    expect(compressHostList(['cn001', 'cn002', 'cn003', 'cn007'])).toBe('cn[001-003,007]');
  });

  it('keeps prefixes apart, in order', () => {
    expect(compressHostList(['gv01', 'cn010', 'cn011', 'ga03'])).toBe('cn[010-011],ga03,gv01');
  });

  it('prints nothing for no nodes', () => {
    expect(compressHostList([])).toBe('');
  });
});

describe('formatRanges', () => {
  it('collapses runs of ids as squeue prints array tasks', () => {
    expect(formatRanges([2, 3, 4])).toBe('2-4');
    expect(formatRanges([1, 3, 5, 6, 7])).toBe('1,3,5-7');
  });
});

import { describe, expect, it } from '@jest/globals';
import { compressHostList, expandHostList, formatRanges, HostListError } from './hostlist.js';

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

describe('expandHostList', () => {
  it('expands bracketed ranges and single names, padding kept, in the order written', () => {
    expect(expandHostList('gpu[01-03,07],login1')).toEqual([
      'gpu01',
      'gpu02',
      'gpu03',
      'gpu07',
      'login1',
    ]);
  });

  it('expands several bracket groups in one name', () => {
    expect(expandHostList('r[1-2]-n[01-02]')).toEqual(['r1-n01', 'r1-n02', 'r2-n01', 'r2-n02']);
  });

  it('keeps a dashed name without brackets whole', () => {
    expect(expandHostList('host-192-168-0-1')).toEqual(['host-192-168-0-1']);
  });

  it('is the inverse of compressHostList', () => {
    const names = ['cn001', 'cn002', 'cn003', 'cn007', 'ga03'];
    expect(expandHostList(compressHostList(names))).toEqual(names);
  });

  it('refuses an unbalanced bracket, a bad range, and too many names', () => {
    expect(() => expandHostList('gpu[01-03')).toThrow(HostListError);
    expect(() => expandHostList('gpu[a-b]')).toThrow(/bad range/);
    expect(() => expandHostList('gpu[5-1]')).toThrow(/descending/);
    expect(() => expandHostList('n[0-99999999]')).toThrow(/more than/);
  });
});

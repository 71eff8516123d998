import { boundedMemo } from '../../shared/model/boundedMemo';

describe('boundedMemo', () => {
  it('remembers values, undefined ones included, and returns what it stores', () => {
    const memo = boundedMemo<string | undefined>(10);
    expect(memo.set('a', 'A')).toBe('A');
    expect(memo.set('b', undefined)).toBeUndefined();
    expect(memo.get('a')).toBe('A');
    expect(memo.has('b')).toBe(true);
    expect(memo.has('c')).toBe(false);
  });

  it('never holds more than its limit: full, it starts again empty', () => {
    const memo = boundedMemo<number>(100);
    for (let i = 0; i < 10_000; i++) {
      memo.set(`k${i}`, i);
      expect(memo.size).toBeLessThanOrEqual(100);
    }
    expect(memo.get('k9999')).toBe(9999);
    expect(memo.get('k0')).toBeUndefined();
  });

  it('refuses a limit below one', () => {
    expect(() => boundedMemo(0)).toThrow(RangeError);
  });
});

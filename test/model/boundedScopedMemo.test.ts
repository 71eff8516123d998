import fc from 'fast-check';
import { boundedMemo } from '../../shared/model/boundedMemo';
import { boundedScopedMemo } from '../../shared/model/boundedScopedMemo';

describe('boundedScopedMemo', () => {
  it('keeps scopes apart and remembers undefined-free values it returns', () => {
    const memo = boundedScopedMemo<string>(10);
    expect(memo.set('em', 'a', 'x')).toBe('x');
    expect(memo.set('ly', 'a', 'y')).toBe('y');
    expect(memo.get('em', 'a')).toBe('x');
    expect(memo.get('ly', 'a')).toBe('y');
    expect(memo.get('nm', 'a')).toBeUndefined();
    expect(memo.size).toBe(2);
    memo.set('em', 'a', 'z');
    expect(memo.size).toBe(2);
  });

  it('answers as a boundedMemo keyed by scope, NUL and key does, and fills and empties at the same points', () => {
    const op = fc.tuple(fc.boolean(), fc.constantFrom('em', 'ph', 'cu'), fc.constantFrom('a', 'b', 'c', 'd', ''), fc.nat(9));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 60 }), (limit, ops) => {
        const scoped = boundedScopedMemo<number>(limit);
        const joined = boundedMemo<number>(limit);
        for (const [write, scope, key, value] of ops) {
          if (write) expect(scoped.set(scope, key, value)).toBe(joined.set(`${scope}\u0000${key}`, value));
          else expect(scoped.get(scope, key)).toBe(joined.get(`${scope}\u0000${key}`));
          expect(scoped.size).toBe(joined.size);
          expect(scoped.size).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a limit below one', () => {
    expect(() => boundedScopedMemo(0)).toThrow(RangeError);
  });
});

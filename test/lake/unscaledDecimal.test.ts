// Exact decimal <-> unscaled integer conversion and Hive partition escaping (pure functions).
import { fromUnscaled, toUnscaled } from '../../shared/lake/unscaledDecimal';
import { escapePartitionValue, parsePartitionDir, unescapePartitionValue } from '../../shared/lake/hivePartition';

test.each([
  ['21.6', 216000n],
  ['-1.29', -12900n],
  ['0', 0n],
  ['-0.0001', -1n],
  ['1.50000000', 15000n],
  ['00012.3400', 123400n],
  ['99999999999999.9999', 999999999999999999n],
])('toUnscaled(%s) at DECIMAL(18,4) is %s', (text, unscaled) => {
  expect(toUnscaled(text, 18, 4)).toBe(unscaled);
});

test.each([
  ['21.60005', 'has more than 4 decimals'],
  ['100000000000000', 'does not fit DECIMAL(18,4)'],
  ['1e3', 'not a decimal string'],
  [' 1', 'not a decimal string'],
  ['0.1.2', 'not a decimal string'],
])('toUnscaled(%s) is refused: %s', (text, message) => {
  expect(() => toUnscaled(text, 18, 4)).toThrow(message);
});

test.each([
  [216000n, '21.6000'],
  [-1n, '-0.0001'],
  [0n, '0.0000'],
  [-999999999999999999n, '-99999999999999.9999'],
])('fromUnscaled(%s, 4) is %s', (unscaled, text) => {
  expect(fromUnscaled(unscaled, 4)).toBe(text);
});

test('0.1 + 0.2 stays 0.3 through the unscaled form', () => {
  expect(fromUnscaled(toUnscaled('0.1', 18, 4) + toUnscaled('0.2', 18, 4), 4)).toBe('0.3000');
});

test('partition values are escaped as Hive does and read back unchanged', () => {
  expect(escapePartitionValue('S042')).toBe('S042');
  expect(escapePartitionValue(null)).toBe('__HIVE_DEFAULT_PARTITION__');
  expect(escapePartitionValue('')).toBe('__HIVE_DEFAULT_PARTITION__');
  expect(escapePartitionValue('a/b=c:d%e#f\n')).toBe('a%2Fb%3Dc%3Ad%25e%23f%0A');
  expect(escapePartitionValue('café 1')).toBe('café 1');
  for (const v of ['a/b=c:d%e#f\n', 'café 1', '%41']) expect(unescapePartitionValue(escapePartitionValue(v))).toBe(v);
  expect(unescapePartitionValue('__HIVE_DEFAULT_PARTITION__')).toBeNull();
  expect(parsePartitionDir('curated/tenders/business_date=2026-11-30/store_id=A%2FB')).toEqual({
    table: 'tenders',
    partition: { businessDate: '2026-11-30', storeId: 'A/B' },
  });
  expect(parsePartitionDir('curated/tenders/business_date=2026-11-30')).toBeNull();
});

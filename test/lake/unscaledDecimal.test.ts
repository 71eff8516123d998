// Exact decimal <-> unscaled integer conversion and Hive partition escaping (pure functions).
import { fromUnscaled, toUnscaled } from '../../shared/lake/unscaledDecimal';
import { escapePartitionValue, parsePartitionDir, unescapePartitionValue } from '../../shared/lake/hivePartition';

// The lake's columns are DECIMAL(18,6) (docs/lake.md).
test.each([
  ['21.6', 21600000n],
  ['-1.29', -1290000n],
  ['0', 0n],
  ['-0.000001', -1n],
  ['1.50000000', 1500000n],
  ['00012.3400', 12340000n],
  // Lightspeed X-Series states ex-tax prices and taxes with 5 decimals: the reason for scale 6.
  ['43.47826', 43478260n],
  ['999999999999.999999', 999999999999999999n],
])('toUnscaled(%s) at DECIMAL(18,6) is %s', (text, unscaled) => {
  expect(toUnscaled(text, 18, 6)).toBe(unscaled);
});

test.each([
  ['21.6000005', '21.6000005 has more than 6 decimals and cannot be stored exactly in DECIMAL(18,6)'],
  ['0.864646875', '0.864646875 has more than 6 decimals and cannot be stored exactly in DECIMAL(18,6)'],
  ['1000000000000', '1000000000000 does not fit DECIMAL(18,6)'],
  ['1e3', 'not a decimal string: "1e3"'],
  [' 1', 'not a decimal string: " 1"'],
  ['0.1.2', 'not a decimal string: "0.1.2"'],
])('toUnscaled(%s) is refused: %s', (text, message) => {
  expect(() => toUnscaled(text, 18, 6)).toThrow(new Error(message));
});

test.each([
  [21600000n, '21.600000'],
  [43478260n, '43.478260'],
  [-1n, '-0.000001'],
  [0n, '0.000000'],
  [-999999999999999999n, '-999999999999.999999'],
])('fromUnscaled(%s, 6) is %s', (unscaled, text) => {
  expect(fromUnscaled(unscaled, 6)).toBe(text);
});

test('0.1 + 0.2 stays 0.3 through the unscaled form', () => {
  expect(fromUnscaled(toUnscaled('0.1', 18, 6) + toUnscaled('0.2', 18, 6), 6)).toBe('0.300000');
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

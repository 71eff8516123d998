// shared/sources/fast/parseAsFast.ts: `parseAs` (common.ts) with the compiled fast parser in front.
import type { z } from 'zod';
import { parseAs } from '../common';
import type { AdapterResult } from '../types';
import { compileFastParser, REJECTED, UNKNOWN } from './compileFastParser';

/**
 * Validates one vendor object and converts it, like `parseAs`: where the fast parser is sure of zod's
 * answer the data comes from it, otherwise (and for every invalid value, so findings are zod's) zod runs.
 */
export function parseAsFast<T>(
  schema: z.ZodType<T>,
  value: unknown,
  basePath: string,
  then: (valid: T) => AdapterResult,
): AdapterResult {
  const fast = compileFastParser(schema)(value);
  if (fast !== REJECTED && fast !== UNKNOWN) return then(fast as T);
  return parseAs(schema, value, basePath, then);
}

/** `schema.safeParse(value)` with the fast parser in front; same result shape on success. */
export function safeParseFast<T>(schema: z.ZodType<T>, value: unknown): z.ZodSafeParseResult<T> {
  const fast = compileFastParser(schema)(value);
  if (fast !== REJECTED && fast !== UNKNOWN) return { success: true, data: fast as T } as z.ZodSafeParseResult<T>;
  return schema.safeParse(value);
}

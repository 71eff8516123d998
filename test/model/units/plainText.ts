// test/model/units/plainText.ts: generated plain decimal texts for the readers' property tests.
import fc from 'fast-check';

/** Plain decimal text, sometimes with leading or trailing zeros, many places or digits, or a negative zero. */
export const plainText = fc
  .tuple(fc.boolean(), fc.stringMatching(/^\d{1,18}$/), fc.option(fc.stringMatching(/^\d{1,18}$/), { nil: undefined }))
  .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

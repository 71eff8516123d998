import { createHmac } from 'node:crypto';
import { matchesAnySecret } from '../../shared/sources/signature';

const hmac = (body: string) => (secret: string) => createHmac('sha256', secret).update(body).digest();

describe('matchesAnySecret', () => {
  const given = hmac('body')('new-secret');

  it('accepts a value made with any of the rotated secrets, in any order', () => {
    expect(matchesAnySecret(hmac('body'), given, ['old-secret', 'new-secret'])).toBe(true);
    expect(matchesAnySecret(hmac('body'), given, ['new-secret', 'old-secret'])).toBe(true);
  });

  it('rejects a value no secret makes, and a value for another body', () => {
    expect(matchesAnySecret(hmac('body'), given, ['old-secret'])).toBe(false);
    expect(matchesAnySecret(hmac('other body'), given, ['new-secret'])).toBe(false);
    expect(matchesAnySecret(hmac('body'), given, [])).toBe(false);
  });

  it('treats a different length as no match instead of throwing', () => {
    expect(matchesAnySecret(hmac('body'), given.subarray(1), ['new-secret'])).toBe(false);
    expect(matchesAnySecret((code) => Buffer.from(code), Buffer.from('abc'), ['abcd'])).toBe(false);
  });

  it('ignores empty secrets: an unset secret must not match an empty value', () => {
    const calls: string[] = [];
    const expected = (code: string) => (calls.push(code), Buffer.from(code));
    expect(matchesAnySecret(expected, Buffer.alloc(0), ['', ''])).toBe(false);
    expect(calls).toEqual([]);
    expect(matchesAnySecret(expected, Buffer.from('abc'), ['', 'abc'])).toBe(true);
  });
});

import { ErasureRequest, matchesSubject, subjectRefs } from '../../shared/privacy/erasureSubject';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { customerRefs } from '../../shared/sources/common';
import type { SourceContext } from '../../shared/sources/types';

const pseudonymize = createPseudonymizer('erasure-test-key-0123456789abcdef');
const request = (body: unknown) => ErasureRequest.parse(body);

test('the request\'s identifiers become exactly the references the pipeline gives the same person', () => {
  const ctx = { pseudonymize, country: 'US' } as unknown as SourceContext;
  // What an adapter makes of a customer, written the way a POS writes it.
  const fromPos = customerRefs(ctx, 'shopify', { id: 207119551, email: ' Bob.Norman@HostMail.com', phone: '(415) 625-1199', loyalty: 'ab-1234 5678' })!;
  const r = subjectRefs(pseudonymize, request({ emails: ['bob.norman@hostmail.com'], phones: ['+1 415 625 1199'], loyaltyIds: ['AB12345678'], customers: [{ source: 'shopify', id: '207119551' }] }));
  expect(r).toEqual({ ok: true, refs: [fromPos.ref, fromPos.emailRef, fromPos.phoneRef, fromPos.loyaltyRef].sort() });
  // A national number needs the country the POS's store is in, as the pipeline had it.
  const national = subjectRefs(pseudonymize, request({ phones: ['415-625-1199'], country: 'us' }));
  expect(national).toEqual({ ok: true, refs: [fromPos.phoneRef] });
  // Repeats collapse; the order of the identifiers does not matter.
  expect(subjectRefs(pseudonymize, request({ emails: ['BOB.norman@hostmail.com', 'bob.norman@hostmail.com'] }))).toEqual({ ok: true, refs: [fromPos.emailRef] });
});

test('an identifier the pipeline could not have pseudonymized makes the request unusable, naming the field and never the value', () => {
  const r = subjectRefs(pseudonymize, request({ emails: ['ok@example.org', 'bob-at-example'], phones: ['625-1199'] }));
  expect(r).toEqual({ ok: false, unusable: ['emails/1: not an email address', 'phones/0: not a valid phone number (give country, or the number with +country code)'] });
  expect(JSON.stringify(r)).not.toContain('bob-at-example');
  expect(ErasureRequest.safeParse({}).success).toBe(false);
  expect(ErasureRequest.safeParse({ emails: [], customers: [] }).success).toBe(false);
  expect(ErasureRequest.safeParse({ emails: ['a@b.co'], extra: 1 }).success).toBe(false);
  expect(ErasureRequest.safeParse({ emails: ['a@b.co'], country: 'USA' }).success).toBe(false);
  expect(ErasureRequest.safeParse({ customers: [{ source: 'shopify', id: ' ' }] }).success).toBe(false);
});

test('matchesSubject: any one of the customer\'s references is enough; none, or no customer, is no match', () => {
  const refs = new Set(['em_a', 'cu_b']);
  expect(matchesSubject({ emailRef: 'em_a' }, refs)).toBe(true);
  expect(matchesSubject({ ref: 'cu_x', phoneRef: 'ph_y', loyaltyRef: 'cu_b' }, refs)).toBe(true);
  expect(matchesSubject({ ref: 'cu_b' }, refs)).toBe(true);
  expect(matchesSubject({ ref: 'cu_x', emailRef: 'em_y', phoneRef: 'ph_z', loyaltyRef: 'ly_w' }, refs)).toBe(false);
  expect(matchesSubject({}, refs)).toBe(false);
  expect(matchesSubject(null, refs)).toBe(false);
  expect(matchesSubject(undefined, refs)).toBe(false);
});

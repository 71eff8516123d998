import { transactionId, type Finding, type SourceName } from '../../shared/model';
import { dec, toMoneyString, ZERO } from '../../shared/model/money';
import { createPseudonymizer } from '../../shared/privacy/pseudonymize';
import { adyenAdapter } from '../../shared/sources/adyen';
import { canonicalAdapter } from '../../shared/sources/canonical';
import { cloverAdapter } from '../../shared/sources/clover';
import fc from 'fast-check';
import { z } from 'zod';
import {
  buildTransaction,
  convertEach,
  customerRefs,
  convertWrapped,
  guardAdapter,
  parseAs,
  resolveCurrency,
  type TransactionDraft,
} from '../../shared/sources/common';
import { csvAdapter } from '../../shared/sources/csv';
import { lightspeedRAdapter } from '../../shared/sources/lightspeed-r';
import { lightspeedXAdapter } from '../../shared/sources/lightspeed-x';
import { poslogAdapter } from '../../shared/sources/poslog';
import { shopifyAdapter } from '../../shared/sources/shopify';
import { squareAdapter } from '../../shared/sources/square';
import { toastAdapter } from '../../shared/sources/toast';
import type { SourceAdapter, SourceContext } from '../../shared/sources/types';

const ctx: SourceContext = {
  timeZone: 'UTC',
  currency: 'USD',
  pseudonymize: createPseudonymizer('test-key-0123456789abcdef'),
};

function draft(currency: string | null, discounts: string[]): TransactionDraft {
  return {
    source: 'csv',
    sourceKey: 'T1',
    kind: 'sale',
    channel: 'store',
    storeId: 'S1',
    registerId: null,
    operatorId: null,
    businessDate: '2026-11-30',
    occurredAt: '2026-11-30T15:04:05.000Z',
    currency,
    total: '0',
    taxTotal: null,
    discounts: discounts.map((amount) => ({ amount })),
    lines: [],
    tenders: [],
    customer: null,
    originalRef: null,
  };
}

describe('buildTransaction', () => {
  it('writes discountTotal with the currency digits, keeping any further digits the discounts have', () => {
    expect(buildTransaction(draft('USD', ['4', '0.5'])).discountTotal).toBe('4.50');
    expect(buildTransaction(draft('USD', [])).discountTotal).toBe('0.00');
    expect(buildTransaction(draft('USD', ['0.12345'])).discountTotal).toBe('0.12345');
    expect(buildTransaction(draft('JPY', [])).discountTotal).toBe('0');
    expect(buildTransaction(draft('JPY', ['300', '20'])).discountTotal).toBe('320');
    expect(buildTransaction(draft('KWD', ['1.5'])).discountTotal).toBe('1.500');
  });

  it('gives what the version with a conditional spread gave: same properties, same order, same JSON', () => {
    // The previous buildTransaction, verbatim but for the names.
    const reference = (d: TransactionDraft) => {
      let discounts = ZERO;
      for (const x of d.discounts) discounts = discounts.plus(dec(x.amount));
      return {
        schemaVersion: 1,
        id: transactionId(d.source, d.sourceKey),
        source: d.source,
        sourceKey: d.sourceKey,
        kind: d.kind,
        channel: d.channel,
        storeId: d.storeId,
        registerId: d.registerId,
        operatorId: d.operatorId,
        businessDate: d.businessDate,
        occurredAt: d.occurredAt,
        currency: d.currency,
        total: d.total,
        taxTotal: d.taxTotal,
        discountTotal: toMoneyString(discounts, d.currency),
        discounts: d.discounts,
        lines: d.lines,
        tenders: d.tenders,
        ...(d.charges && d.charges.length ? { charges: d.charges } : {}),
        customer: d.customer,
        originalRef: d.originalRef,
        findings: d.findings ?? [],
      };
    };
    const charge = fc.record({ type: fc.constantFrom('tip', 'service'), amount: fc.constantFrom('1.00', '0.5') });
    const drafts = fc
      .record({
        currency: fc.constantFrom(null, 'USD', 'JPY'),
        key: fc.string(),
        amounts: fc.array(fc.constantFrom('1', '0.25', '-3.10'), { maxLength: 3 }),
        charges: fc.option(fc.array(charge, { maxLength: 2 }), { nil: undefined }),
        findings: fc.option(fc.constant<Finding[]>([{ code: 'x', severity: 'warning', path: '', message: 'm' }]), { nil: undefined }),
      })
      .map(({ currency, key, amounts, charges, findings }) => {
        const d = { ...draft(currency, amounts), sourceKey: key } as TransactionDraft;
        if (charges !== undefined) d.charges = charges as TransactionDraft['charges'];
        if (findings !== undefined) d.findings = findings;
        return d;
      });
    fc.assert(
      fc.property(drafts, (d) => {
        const ours = buildTransaction(d);
        const theirs = reference(d);
        expect(Object.keys(ours)).toEqual(Object.keys(theirs));
        expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
        expect(ours).toEqual(theirs);
        expect(ours.charges).toBe(theirs.charges);
        expect(ours.findings).toBe(d.findings ?? ours.findings);
      }),
      { numRuns: 500 },
    );
  });
});

describe('guardAdapter', () => {
  const adapterError = (source: SourceName, message: string) => ({
    transactions: [],
    findings: [
      {
        code: 'payload.adapter_error',
        severity: 'error',
        path: '',
        message: `${source} adapter failed: ${message}`,
      },
    ],
  });

  it('passes the result through when the conversion returns', () => {
    const result = { transactions: [], findings: [] };
    expect(guardAdapter('csv', () => result)({}, ctx)).toBe(result);
  });

  it('turns an exception into one payload.adapter_error finding, whatever was thrown', () => {
    expect(
      guardAdapter('csv', () => {
        throw new Error('boom');
      })({}, ctx),
    ).toEqual(adapterError('csv', 'boom'));
    expect(
      guardAdapter('toast', () => {
        throw 'a string';
      })({}, ctx),
    ).toEqual(adapterError('toast', 'a string'));
    expect(
      guardAdapter('toast', () => {
        throw Object.create(null);
      })({}, ctx),
    ).toEqual(adapterError('toast', 'a value that cannot be printed was thrown'));
  });

  const adapters: SourceAdapter[] = [
    adyenAdapter,
    canonicalAdapter,
    cloverAdapter,
    csvAdapter,
    lightspeedRAdapter,
    lightspeedXAdapter,
    poslogAdapter,
    shopifyAdapter,
    squareAdapter,
    toastAdapter,
  ];
  it.each(adapters.map((a) => [a.name, a] as const))(
    '%s never throws: a payload that throws when read',
    (name, a) => {
      const hostile = new Proxy(
        {},
        {
          get: () => {
            throw new Error('unreadable');
          },
          has: () => {
            throw new Error('unreadable');
          },
          ownKeys: () => {
            throw new Error('unreadable');
          },
          getPrototypeOf: () => {
            throw new Error('unreadable');
          },
        },
      );
      expect(a.toCanonical(hostile, ctx)).toEqual(adapterError(name, 'unreadable'));
    },
  );
});

describe('parseAs and convertEach', () => {
  const Item = z.object({ n: z.number() });
  const one = (item: unknown, path: string) =>
    parseAs(Item, item, path, (valid) => ({
      transactions: [],
      findings: [{ code: 'seen', severity: 'warning' as const, path, message: String(valid.n) }],
      workItems: [
        {
          kind: 'fetch_needed' as const,
          vendor: 'clover' as const,
          objectType: 'order',
          objectId: String(valid.n),
        },
      ],
    }));

  it('converts every item on its own, an invalid one giving schema findings under its index', () => {
    const r = convertEach([{ n: 1 }, { n: 'x' }, { n: 3 }], '/elements', one);
    expect(r.transactions).toEqual([]);
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([
      ['seen', '/elements/0'],
      ['payload.schema', '/elements/1/n'],
      ['seen', '/elements/2'],
    ]);
    expect(r.workItems?.map((w) => w.objectId)).toEqual(['1', '3']);
  });

  it('unwraps one object or a list under a key, and takes anything else as the bare object', () => {
    const paths = (payload: unknown) =>
      convertWrapped(payload, 'data', one).findings.map((f) => [f.code, f.path]);
    expect(paths({ data: { n: 1 } })).toEqual([['seen', '/data']]);
    expect(paths({ data: [{ n: 1 }, { n: 2 }] })).toEqual([
      ['seen', '/data/0'],
      ['seen', '/data/1'],
    ]);
    expect(paths({ n: 1 })).toEqual([['seen', '']]);
    expect(paths([{ n: 1 }])).toEqual([['payload.schema', '']]);
  });

  it('an empty list is an empty result', () => {
    expect(convertEach([], '/data', one)).toEqual({ transactions: [], findings: [] });
  });
});

describe('resolveCurrency', () => {
  it('takes the payload currency, upper-cased, else the configured one', () => {
    const findings: Finding[] = [];
    expect(resolveCurrency(' eur ', ctx, '/currency', findings)).toBe('EUR');
    expect(resolveCurrency(undefined, ctx, '/currency', findings)).toBe('USD');
    expect(findings).toEqual([]);
  });

  it('reports a missing currency, and refuses text that is not a three-letter code', () => {
    const findings: Finding[] = [];
    expect(resolveCurrency(null, { ...ctx, currency: null }, '/a', findings)).toBeNull();
    expect(resolveCurrency('!', ctx, '/b', findings)).toBeNull();
    expect(resolveCurrency('US Dollar', ctx, '/c', findings)).toBeNull();
    expect(findings.map((f) => [f.code, f.path])).toEqual([
      ['currency.missing', '/a'],
      ['currency.invalid', '/b'],
      ['currency.invalid', '/c'],
    ]);
  });
});

describe('customerRefs', () => {
  const usCtx: SourceContext = { ...ctx, country: 'US' };
  /** The first version: every reference set, then the undefined ones deleted. */
  function reference(ids: { id?: unknown; email?: unknown; phone?: unknown; loyalty?: unknown }) {
    const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
    const refs: Record<string, string | undefined> = {};
    const [id, email, phone, loyalty] = [s(ids.id), s(ids.email), s(ids.phone), s(ids.loyalty)];
    if (id) refs.ref = usCtx.pseudonymize.customer('shopify', id);
    if (email) refs.emailRef = usCtx.pseudonymize.email(email);
    if (phone) refs.phoneRef = usCtx.pseudonymize.phone(phone, 'US');
    if (loyalty) refs.loyaltyRef = usCtx.pseudonymize.loyalty(loyalty);
    for (const k of Object.keys(refs)) if (refs[k] === undefined) delete refs[k];
    return Object.keys(refs).length ? refs : null;
  }

  it('gives the references there are, in a fixed order, and null when there are none', () => {
    const value = fc.oneof(
      fc.constantFrom(undefined, null, '', ' ', 0, 42, true, {}, 'not an email', '12', '  -  '),
      fc.constantFrom('jane@example.com', '+1 415 555 2671', 'LOY-123', 'C-1'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.record({ id: value, email: value, phone: value, loyalty: value }, { requiredKeys: [] }), (ids) => {
        const refs = customerRefs(usCtx, 'shopify', ids);
        const expected = reference(ids);
        expect(refs).toEqual(expected);
        expect(refs === null ? null : Object.keys(refs)).toEqual(expected === null ? null : Object.keys(expected));
      }),
      { numRuns: 500 },
    );
    expect(customerRefs(usCtx, 'shopify', { email: 'nope', phone: '12' })).toBeNull();
    expect(Object.keys(customerRefs(usCtx, 'shopify', { loyalty: 'L1', id: 7 })!)).toEqual(['ref', 'loyaltyRef']);
  });
});

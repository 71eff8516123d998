// shared/orchestration/protectBatch.ts: activity `protect`: the last privacy gate before the sinks. Each
// canonical transaction is scanned for card numbers once more (one that reached the canonical form in
// some other shape than the raw scrub caught), and its customer must hold keyed references only. A
// transaction that fails either is masked / stripped and sent to quarantine with a finding, so nothing
// that leaves here carries a card number or a readable customer identifier.
import type { ContainerClient } from '@azure/storage-blob';
import type { CanonicalTransaction, Finding } from '../model';
import { containsCardNumber, scrubCardData } from '../privacy/cardNumbers';
import { routeOf } from '../quality/validate';
import type { StageResult } from './transformBatch';
import { readWork, writeWork } from './workBlob';

// A keyed reference: a kind prefix and an opaque base64url token (createPseudonymizer makes 22
// characters; the canonical source may bring references of another length). An e-mail address, a
// phone number or a name never has this shape.
const REFERENCE = /^(cu|em|ph|ly|nm)_[A-Za-z0-9_-]{16,64}$/;
const CUSTOMER_FIELDS = new Set(['ref', 'emailRef', 'phoneRef', 'loyaltyRef']);

const error = (code: string, path: string, message: string): Finding => ({ code, severity: 'error', path, message });

export function protectTransaction(tx: CanonicalTransaction): CanonicalTransaction {
  const findings: Finding[] = [];
  let out = tx;
  const text = JSON.stringify(tx);
  if (containsCardNumber(text)) {
    out = JSON.parse(scrubCardData(text, 'json').text) as CanonicalTransaction;
    findings.push(error('privacy.card_number_found', '', 'a card number reached the canonical transaction; it was masked and the transaction quarantined'));
  }
  if (out.customer) {
    const customer: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(out.customer)) {
      if (value === undefined || value === null) continue;
      if (CUSTOMER_FIELDS.has(name) && typeof value === 'string' && REFERENCE.test(value)) customer[name] = value;
      // The value itself is never repeated: it may be the personal data that must not be stored.
      else findings.push(error('privacy.customer_not_pseudonymized', `/customer/${name}`, `customer.${name} is not a keyed reference; removed`));
    }
    out = { ...out, customer: customer as CanonicalTransaction['customer'] };
  }
  return findings.length === 0 ? tx : { ...out, findings: [...out.findings, ...findings] };
}

export async function protectBatch(deps: { work: ContainerClient }, input: { batchId: string; ref: string }): Promise<StageResult> {
  const batch = await readWork(deps.work, input.ref);
  const transactions = batch.transactions.map(protectTransaction);
  const ref = await writeWork(deps.work, 'protected', { ...batch, transactions });
  return {
    ref,
    transactions: transactions.length,
    invalid: transactions.filter((t) => routeOf(t) === 'quarantine').length,
    findings: batch.findings.length,
  };
}

// bench/simulate/shareLoyaltyCustomers.ts: loyalty members who shop in several channels. Generated
// customers are one-off people; a member keeps the same email, phone and loyalty number in the web shop,
// at the register and at the café, which is what customer resolution has to recognise. A generated
// customer is identified by the number n its email (first.last.n@example.com), phone (+1415555nnnn) and
// loyalty id (LOY1nnnnn) share, so all three are swapped together for one member.
import type { Rng } from '../rng';

export interface LoyaltyMember {
  member: string;
  email: string;
  phone: string;
  loyalty: string;
}

export function loyaltyMember(k: number): LoyaltyMember {
  const n = String(k + 1).padStart(4, '0');
  return {
    member: `M${n}`,
    email: `member.${n}@loyal.example.org`,
    phone: `+1415556${n}`,
    loyalty: `LOY9${n.padStart(5, '0')}`,
  };
}

const EMAIL_RE = /[^\s"'<>@,;:=&]+\.(\d{1,4})@example\.com/g;
const PHONE_RE = /\+1415555(\d{4})/g;
const LOYALTY_RE = /LOY1(\d{5})/g;

export interface SharedCustomers {
  text: string;
  /** Members now in the payload. */
  members: LoyaltyMember[];
}

/**
 * Replaces each generated customer in `text` by a member of the pool (chosen with `rng`), all three
 * identifiers at once. A payload without customer data comes back unchanged.
 */
export function shareLoyaltyCustomers(text: string, rng: Rng, poolSize: number): SharedCustomers {
  const byN = new Map<number, LoyaltyMember>();
  const memberFor = (n: number) => {
    let m = byN.get(n);
    if (!m) byN.set(n, (m = loyaltyMember(rng.int(0, poolSize - 1))));
    return m;
  };
  const out = text
    .replace(EMAIL_RE, (_, n: string) => memberFor(Number(n)).email)
    .replace(PHONE_RE, (_, n: string) => memberFor(Number(n)).phone)
    .replace(LOYALTY_RE, (_, n: string) => memberFor(Number(n)).loyalty);
  const members = [...new Map([...byN.values()].map((m) => [m.member, m])).values()];
  return { text: out, members };
}

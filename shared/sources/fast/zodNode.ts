// shared/sources/fast/zodNode.ts: the parts of zod 4's internal node (`_zod`) the fast parser reads.

export const REJECTED: unique symbol = Symbol('rejected');
export const UNKNOWN: unique symbol = Symbol('unknown');
export type FastResult = unknown;
export type FastParser = (value: unknown) => FastResult;

export interface Internals {
  def: Record<string, unknown> & { type: string; checks?: Node[] };
  traits: Set<string>;
  optin?: 'optional' | 'defaulted';
  optout?: 'optional';
  values?: Set<unknown>;
  check?: (payload: { value: unknown; issues: unknown[] }) => unknown;
}
export interface Node {
  _zod: Internals;
}

/** A node's checks in zod's order: the node itself first when it is a check (`z.email()`, `.int()`). */
export function checkNodesOf(node: Node): Node[] {
  return [...(node._zod.traits.has('$ZodCheck') ? [node] : []), ...(node._zod.def.checks ?? [])];
}

// bench/simulate/malformedEvent.ts: broken events a POS streaming to Event Hubs sends now and then. There
// is no answer to the sender: the hub's trigger sets each bad event aside as a dead-letter blob
// (docs/webhooks.md, "Event Hubs"), and the code it will carry is predicted here with the hub's own check.
// Bodies break as uploads do (malformedVariant); a wrong Content-Type becomes a wrong `contentType`
// property; and a producer may forget the required `source` property altogether.
import type { SourceName } from '../../shared/model';
import type { Rng } from '../rng';
import { deadLetterCodeOf } from './deadLetterCodeOf';
import { malformedVariant, type MalformedKind } from './malformedVariant';

export type MalformedEventKind = Exclude<MalformedKind, 'bad-signature'> | 'missing-source';

export interface MalformedEvent {
  kind: MalformedEventKind;
  body: string;
  properties: Record<string, string>;
  /** The error code of the dead letter the hub will write. */
  deadLetterCode: string;
}

/** A malformed version of a valid payload's event; `properties` are the well-formed event's. */
export function malformedEvent(
  source: SourceName,
  text: string,
  properties: Readonly<Record<string, string>>,
  rng: Rng,
): MalformedEvent {
  let kind: MalformedEventKind;
  let body = text;
  let props: Record<string, string> = { ...properties };
  if (rng.bool(0.2)) {
    kind = 'missing-source';
    delete props.source;
  } else {
    const bad = malformedVariant(source, text, rng, false);
    // Never a signature: events are not webhooks (malformedVariant only signs when told it is one).
    if (bad.kind === 'bad-signature') throw new Error('an event carries no signature');
    kind = bad.kind;
    body = bad.body;
    props = { ...props, contentType: bad.contentType };
  }
  const deadLetterCode = deadLetterCodeOf(body, props);
  // Every variant breaks the event; one that would be ingested is a simulator bug, not traffic.
  if (deadLetterCode === null) throw new Error(`malformed ${source} event (${kind}) would be ingested`);
  return { kind, body, properties: props, deadLetterCode };
}

// cli/packRecords.ts: groups an export's records into request bodies of at most `maxBytes`, in file
// order, greedily. Greedy and in order so the same records always make the same bodies: a rerun sends
// byte-identical bodies, which the hub answers with the same batch ids and no new work.

/** One record's bytes as they go into a body (a CSV transaction's rows, an NDJSON line with its `\n`). */
export interface ExportRecord {
  bytes: Buffer;
  /** 1-based position in the file, for messages. */
  number: number;
  /** How a person finds the record in the file: `line 7`, `transaction T1001, line 12`. */
  where: string;
}

export interface ExportBody {
  file: string;
  /** 1-based within the file. */
  part: number;
  records: number;
  /** Uncompressed: what the hub's POS_HUB_MAX_BODY_BYTES is checked against after decompression. */
  body: Buffer;
  contentType: string;
}

/** Something in a file that is not sent, with why; the rest of the file still is. */
export interface Refusal {
  file: string;
  /** The record's number, or null when the whole file is refused. */
  record: number | null;
  message: string;
}

export interface SplitResult {
  bodies: ExportBody[];
  refusals: Refusal[];
}

/**
 * Packs records after `prefix` (the CSV header, repeated in every body). A record that does not fit
 * even alone is refused by number and the others are packed without it.
 */
export function packRecords(file: string, records: Iterable<ExportRecord>, prefix: Buffer, maxBytes: number, contentType: string): SplitResult {
  const bodies: ExportBody[] = [];
  const refusals: Refusal[] = [];
  let current: Buffer[] = [];
  let size = prefix.length;
  const flush = () => {
    if (current.length === 0) return;
    bodies.push({ file, part: bodies.length + 1, records: current.length, body: Buffer.concat([prefix, ...current]), contentType });
    current = [];
    size = prefix.length;
  };
  for (const r of records) {
    if (prefix.length + r.bytes.length > maxBytes) {
      const header = prefix.length > 0 ? ` (${prefix.length + r.bytes.length} with the header)` : '';
      refusals.push({ file, record: r.number, message: `${file}: record ${r.number} (${r.where}) has ${r.bytes.length} bytes${header}, over the limit of ${maxBytes} bytes per body; not sent` });
      continue;
    }
    if (size + r.bytes.length > maxBytes) flush();
    current.push(r.bytes);
    size += r.bytes.length;
  }
  flush();
  return { bodies, refusals };
}

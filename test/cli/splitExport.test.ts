// How `pos-hub send` splits export files into request bodies (cli/splitExport.ts): exact bodies, sizes
// within the limit, record boundaries (CSV transactions with quoted line breaks, JSON elements), the
// header repeated, refusals of oversize records and unreadable files, byte-order marks and blank lines.
import { readFileSync } from 'node:fs';
import { splitExport, type SplitResult } from '../../cli/splitExport';

const texts = (r: SplitResult) => r.bodies.map((b) => b.body.toString('utf8'));
const BOM = '\uFEFF';

describe('CSV', () => {
  const header = 'transaction_id,occurred_at,description\r\n';
  const t1 = 'T1,2026-01-02T10:00:00Z,"two\r\nlines"\r\n'; // 38 bytes, a quoted line break
  const t2a = 'T2,2026-01-02T11:00:00Z,a\r\n'; // 27 bytes
  const t3 = 'T3,2026-01-02T12:00:00Z,"x, ""y"""\r\n'; // 36 bytes
  const t2b = 'T2,,b\r\n'; // T2 again, not adjacent: 7 bytes
  const file = BOM + header + t1 + '\r\n' + t2a + t3 + '\r\n\r\n' + t2b.slice(0, -2); // blank lines, no final line end

  test('the header then whole transactions (rows of one id together, quoted line breaks kept), every body within the limit', () => {
    expect([header.length, t1.length, t2a.length, t3.length, t2b.length]).toEqual([40, 38, 27, 36, 7]);
    const r = splitExport('sales.csv', Buffer.from(file), 'csv', 40 + 38);
    expect(r.refusals).toEqual([]);
    expect(texts(r)).toEqual([header + t1, header + t2a + t2b, header + t3]);
    expect(r.bodies.map((b) => [b.file, b.part, b.records, b.body.length, b.contentType])).toEqual([
      ['sales.csv', 1, 1, 78, 'text/csv'],
      ['sales.csv', 2, 1, 74, 'text/csv'],
      ['sales.csv', 3, 1, 76, 'text/csv'],
    ]);
    // Room for two transactions: packed in order of their first row.
    expect(texts(splitExport('sales.csv', Buffer.from(file), 'csv', 40 + 38 + 34))).toEqual([header + t1 + t2a + t2b, header + t3]);
    expect(texts(splitExport('sales.csv', Buffer.from(file), 'csv', 40 + 38 + 34 - 1))).toEqual([header + t1, header + t2a + t2b + t3]);
    expect(texts(splitExport('sales.csv', Buffer.from(file), 'csv', 1000))).toEqual([header + t1 + t2a + t2b + t3]);
  });

  test('a transaction larger than the limit is refused by number, the others are sent', () => {
    const r = splitExport('sales.csv', Buffer.from(file), 'csv', 75);
    expect(texts(r)).toEqual([header + t2a + t2b]);
    expect(r.refusals).toEqual([
      { file: 'sales.csv', record: 1, message: 'sales.csv: record 1 (transaction T1, line 2) has 38 bytes (78 with the header), over the limit of 75 bytes per body; not sent' },
      { file: 'sales.csv', record: 3, message: 'sales.csv: record 3 (transaction T3, line 6) has 36 bytes (76 with the header), over the limit of 75 bytes per body; not sent' },
    ]);
  });

  test('a row csv-parse cannot read refuses the file (the hub would refuse the body rather than lose the row)', () => {
    const r = splitExport('bad.csv', Buffer.from(header + t1 + 'T9,"unclosed\r\n'), 'csv', 1000);
    expect(r.bodies).toEqual([]);
    expect(r.refusals).toEqual([{ file: 'bad.csv', record: null, message: 'bad.csv has rows csv-parse cannot read (line 6: CSV_QUOTE_NOT_CLOSED, lines as csv-parse counts them); not sent' }]);
    // csv-parse's own message quotes the cell: only its code is repeated.
    const email = splitExport('bad.csv', Buffer.from(header + 'T9,x,a b"dana@example.com"\r\n'), 'csv', 1000);
    expect(email.refusals.map((x) => x.message)).toEqual(['bad.csv has rows csv-parse cannot read (line 2: INVALID_OPENING_QUOTE, lines as csv-parse counts them); not sent']);
    const noId = splitExport('noid.csv', Buffer.from('id,occurred_at\nT1,2026-01-02T10:00:00Z\n'), 'csv', 1000);
    expect(noId).toEqual({ bodies: [], refusals: [{ file: 'noid.csv', record: null, message: 'noid.csv: the header (line 1) names no transaction_id column (docs/csv-format.md); not sent' }] });
  });

  test('empty files, a BOM alone, a header alone and lines of spaces send nothing', () => {
    for (const text of ['', BOM, '\n\n', BOM + header, header + '   \r\n\r\n']) expect(splitExport('e.csv', Buffer.from(text), 'csv', 1000)).toEqual({ bodies: [], refusals: [] });
    // A line of spaces between rows is dropped, not sent as a row.
    expect(texts(splitExport('s.csv', Buffer.from('transaction_id,occurred_at\nA,1\n   \nB,2\n'), 'csv', 1000))).toEqual(['transaction_id,occurred_at\nA,1\nB,2\n']);
  });

  test('the fixture scaled up: every row sent exactly once, each transaction whole, bodies within the limit, the same bodies every time', () => {
    const sample = readFileSync('test/fixtures/csv/sales.csv', 'utf8').replace(/^\uFEFF/, '');
    const [head, ...rows] = sample.split('\r\n').filter((l) => l);
    const big = [head, ...Array.from({ length: 20 }, (_, k) => rows.map((r) => r.replace(/^T(\d+)/, `T$1-${k}`))).flat()].join('\r\n') + '\r\n';
    for (const max of [800, 1500, 4096]) {
      const a = splitExport('big.csv', Buffer.from(BOM + big), 'csv', max);
      const b = splitExport('big.csv', Buffer.from(BOM + big), 'csv', max);
      expect(a.bodies.map((x) => x.body)).toEqual(b.bodies.map((x) => x.body));
      expect(a.refusals).toEqual([]);
      expect(a.bodies.length).toBeGreaterThan(1);
      for (const body of a.bodies) expect(body.body.length).toBeLessThanOrEqual(max);
      const bodyRows = a.bodies.map((x) => x.body.toString('utf8').split('\r\n').filter((l) => l));
      for (const lines of bodyRows) expect(lines[0]).toBe(head);
      const sent = bodyRows.flatMap((lines) => lines.slice(1));
      expect(sent).toEqual(big.split('\r\n').slice(1, -1)); // adjacent rows: file order kept
      // No transaction id appears in two bodies.
      const bodiesOf = new Map<string, Set<number>>();
      bodyRows.forEach((lines, i) => lines.slice(1).forEach((l) => bodiesOf.set(l.split(',')[0]!, (bodiesOf.get(l.split(',')[0]!) ?? new Set()).add(i))));
      expect([...bodiesOf.values()].every((s) => s.size === 1)).toBe(true);
      expect(a.bodies.reduce((n, x) => n + x.records, 0)).toBe(80);
    }
  });
});

describe('JSON', () => {
  test('a top-level array becomes NDJSON bodies: each element on one line, its text kept (ids beyond 2^53, escapes, spaces in strings)', () => {
    const file = BOM + '[\n  {"id": 12345678901234567890, "note": "a \\"quoted\\" , ] word"},\n  {"id": 2,\n   "lines": [ {"sku": "x y"} ]},\n  {"id": 3}\n]\n';
    const one = '{"id":12345678901234567890,"note":"a \\"quoted\\" , ] word"}\n';
    const two = '{"id":2,"lines":[{"sku":"x y"}]}\n';
    const three = '{"id":3}\n';
    const r = splitExport('orders.json', Buffer.from(file), 'shopify', one.length + two.length);
    expect(r.refusals).toEqual([]);
    expect(texts(r)).toEqual([one + two, three]);
    expect(r.bodies.map((b) => [b.part, b.records, b.contentType])).toEqual([
      [1, 2, 'application/x-ndjson'],
      [2, 1, 'application/x-ndjson'],
    ]);
    expect(texts(splitExport('orders.json', Buffer.from(file), 'shopify', one.length + two.length - 1))).toEqual([one, two + three]);
  });

  test('NDJSON: blank lines and CRLF dropped, a line that is not an object refused by record and line, an oversize record refused, the rest sent', () => {
    const file = '{"id":1}\r\n\r\n{"id":2, "big": "' + 'x'.repeat(40) + '"}\r\n{"id":\r\n  [1]\n{"id":4}\n';
    const r = splitExport('orders.ndjson', Buffer.from(file), 'square', 20);
    expect(texts(r)).toEqual(['{"id":1}\n{"id":4}\n']);
    expect(r.refusals).toEqual([
      { file: 'orders.ndjson', record: 2, message: 'orders.ndjson: record 2 (line 3) has 60 bytes, over the limit of 20 bytes per body; not sent' },
      { file: 'orders.ndjson', record: 3, message: 'orders.ndjson: record 3 (line 4) is not valid NDJSON: not valid JSON; not sent' },
      { file: 'orders.ndjson', record: 4, message: 'orders.ndjson: record 4 (line 5) is not valid NDJSON: not a JSON object; not sent' },
    ]);
  });

  test('an array element that is not an object is refused; an unreadable array refuses the file', () => {
    const r = splitExport('a.json', Buffer.from('[{"id":1}, 7, {"id":3}]'), 'toast', 100);
    expect(texts(r)).toEqual(['{"id":1}\n{"id":3}\n']);
    expect(r.refusals).toEqual([{ file: 'a.json', record: 2, message: 'a.json: record 2 is not a JSON object; not sent' }]);
    const broken = splitExport('b.json', Buffer.from('[{"id":1}, {"id":'), 'toast', 100);
    expect(broken.bodies).toEqual([]);
    expect(broken.refusals.map((x) => x.message)).toEqual(['b.json is not valid JSON (not valid JSON); not sent']);
    // JSON.parse's message quotes the text: only the position is repeated.
    expect(splitExport('c.ndjson', Buffer.from('{"id":1}\n{"email":"dana@example.com" x}\n'), 'toast', 100).refusals.map((x) => x.message)).toEqual([
      'c.ndjson: record 2 (line 2) is not valid NDJSON: not valid JSON at character 28; not sent',
    ]);
  });

  test('one object (pretty-printed) is one body, sent as it is; over the limit it is refused', () => {
    const order = readFileSync('test/fixtures/shopify/order.json', 'utf8');
    const r = splitExport('order.json', Buffer.from(BOM + order), 'shopify', 1024 * 1024);
    expect(r.refusals).toEqual([]);
    expect(texts(r)).toEqual([order.trim()]);
    expect(r.bodies[0]!.contentType).toBe('application/json');
    const n = Buffer.byteLength(order.trim());
    expect(splitExport('order.json', Buffer.from(order), 'shopify', n - 1)).toEqual({
      bodies: [],
      refusals: [{ file: 'order.json', record: 1, message: `order.json: record 1 (the file's one object) has ${n} bytes, over the limit of ${n - 1} bytes per body; not sent` }],
    });
  });

  test('empty files and blank lines send nothing; text that is not JSON refuses the file', () => {
    for (const text of ['', BOM, ' \n\r\n', '[]', '[ ]']) expect(splitExport('e.json', Buffer.from(text), 'shopify', 100)).toEqual({ bodies: [], refusals: [] });
    expect(splitExport('x.json', Buffer.from('order,1\n'), 'shopify', 100).refusals).toEqual([
      { file: 'x.json', record: null, message: 'x.json is not a JSON object, an array of objects or NDJSON; not sent' },
    ]);
  });
});

describe('POSLog XML', () => {
  test('a file is one body without its BOM; over the limit it is refused, naming the file and the limit, never split', () => {
    const xml = readFileSync('test/fixtures/poslog/return-linked.xml', 'utf8');
    const r = splitExport('eod.xml', Buffer.from(BOM + xml), 'poslog', 1024 * 1024);
    expect(texts(r)).toEqual([xml.trim()]);
    expect(r.bodies[0]).toMatchObject({ part: 1, records: 1, contentType: 'application/xml' });
    const n = Buffer.byteLength(xml.trim());
    expect(splitExport('eod.xml', Buffer.from(xml), 'poslog', 1000)).toEqual({
      bodies: [],
      refusals: [
        {
          file: 'eod.xml',
          record: null,
          message: `eod.xml has ${n} bytes, over the limit of 1000 bytes per body; an XML file is sent whole, never split: split it at the source or raise --max-bytes (and the hub's POS_HUB_MAX_BODY_BYTES)`,
        },
      ],
    });
    expect(splitExport('e.xml', Buffer.from(BOM + '\n'), 'poslog', 10)).toEqual({ bodies: [], refusals: [] });
  });
});

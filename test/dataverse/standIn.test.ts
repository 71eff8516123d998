// The Dataverse stand-in, spoken to over raw HTTP the way the service is: upsert semantics, validation,
// UpsertMultiple, $batch, queries, auth and persistence.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDataverseStandIn, type DataverseStandIn } from '../../local/dataverse/startDataverseStandIn';

let dv: DataverseStandIn;
let dataDir: string;
const api = (p: string) => `${dv.url}/api/data/v9.2/${p}`;
const headers = (extra: Record<string, string> = {}) => ({
  Authorization: 'Bearer local-dev',
  Accept: 'application/json',
  'OData-Version': '4.0',
  'Content-Type': 'application/json; charset=utf-8',
  ...extra,
});
const patch = (p: string, body: unknown, extra: Record<string, string> = {}) => fetch(api(p), { method: 'PATCH', headers: headers(extra), body: JSON.stringify(body) });

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pos-hub-dv-'));
  dv = await startDataverseStandIn({ dataDir, limits: { requestsPerWindow: 10_000, windowMs: 1000, maxConcurrent: 52, dopHint: 12 } });
});
afterAll(async () => {
  await dv?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('upsert by alternate key', () => {
  test('PATCH creates then updates: 204 with OData-EntityId, 201 and 200 with return=representation', async () => {
    const created = await patch("pos_stores(pos_hubstoreid='U1')", { pos_name: 'U1' });
    expect(created.status).toBe(204);
    expect(created.headers.get('odata-entityid')).toMatch(new RegExp(`^${dv.url}/api/data/v9.2/pos_stores\\([0-9a-f-]{36}\\)$`));
    expect(created.headers.get('x-ms-dop-hint')).toBe('12');
    const updated = await patch("pos_stores(pos_hubstoreid='U1')", { pos_name: 'U1 renamed' }, { Prefer: 'return=representation' });
    expect(updated.status).toBe(200);
    const row = (await updated.json()) as Record<string, unknown>;
    expect(row).toMatchObject({ pos_name: 'U1 renamed', pos_hubstoreid: 'U1' });
    const fresh = await patch("pos_stores(pos_hubstoreid='U2')", { pos_name: 'U2' }, { Prefer: 'return=representation' });
    expect(fresh.status).toBe(201);
  });

  test('If-Match: * only updates (404 when missing); If-None-Match: * only creates (412 when present)', async () => {
    const missing = await patch("pos_stores(pos_hubstoreid='NOPE')", { pos_name: 'x' }, { 'If-Match': '*' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('0x80040217');
    await patch("pos_stores(pos_hubstoreid='C1')", { pos_name: 'C1' });
    const again = await patch("pos_stores(pos_hubstoreid='C1')", { pos_name: 'C1' }, { 'If-None-Match': '*' });
    expect(again.status).toBe(412);
    expect(await again.json()).toEqual({ error: { code: '0x80060892', message: 'A record with matching key values already exists.' } });
  });

  test('a missing required column or a wrong type is 400 0x80044331 with the column named', async () => {
    const missing = await patch("pos_stores(pos_hubstoreid='V1')", {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: '0x80044331', message: "A value for the required column 'pos_name' of table 'pos_store' is missing." } });
    const wrong = await patch("pos_stores(pos_hubstoreid='V1')", { pos_name: 42 });
    expect(await wrong.json()).toEqual({ error: { code: '0x80044331', message: "Column 'pos_name' of table 'pos_store': cannot convert 42 to Edm.String." } });
    const unknown = await patch("pos_stores(pos_hubstoreid='V1')", { pos_name: 'V1', pos_nope: 1 });
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('0x80060888');
    expect(dv.rows('pos_stores').some((r) => r.pos_hubstoreid === 'V1')).toBe(false);
  });

  test('a key value with a character URLs cannot carry is refused', async () => {
    const res = await patch(`pos_stores(pos_hubstoreid='${encodeURIComponent('a/b')}')`, { pos_name: 'x' });
    expect(res.status).toBe(400);
  });
});

describe('UpsertMultiple', () => {
  const target = (id: string, extra: Record<string, unknown> = {}) => ({
    '@odata.type': 'Microsoft.Dynamics.CRM.pos_store',
    '@odata.id': `pos_stores(pos_hubstoreid='${id}')`,
    pos_name: id,
    ...extra,
  });
  const post = (targets: unknown[]) =>
    fetch(api('pos_stores/Microsoft.Dynamics.CRM.UpsertMultiple'), { method: 'POST', headers: headers(), body: JSON.stringify({ Targets: targets }) });

  test('upserts every target and answers 204', async () => {
    const res = await post([target('M1'), target('M2')]);
    expect(res.status).toBe(204);
    expect(dv.rows('pos_stores').filter((r) => /^M\d$/.test(String(r.pos_hubstoreid))).length).toBe(2);
  });

  test('duplicate keys in one request are 400 and nothing is written', async () => {
    const res = await post([target('D1'), target('D1')]);
    expect(res.status).toBe(400);
    expect(dv.rows('pos_stores').some((r) => r.pos_hubstoreid === 'D1')).toBe(false);
  });

  test('one bad target rolls back the whole request, including updates already applied', async () => {
    await post([target('R1')]);
    const res = await post([target('R1', { pos_name: 'changed' }), target('R2'), target('R3', { pos_name: 7 })]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('0x80044331');
    const rows = dv.rows('pos_stores');
    expect(rows.find((r) => r.pos_hubstoreid === 'R1')!.pos_name).toBe('R1');
    expect(rows.some((r) => r.pos_hubstoreid === 'R2')).toBe(false);
  });
});

describe('$batch', () => {
  const part = (id: number, key: string, body: unknown) =>
    `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${id}\r\n\r\n` +
    `PATCH /api/data/v9.2/pos_stores(pos_hubstoreid='${key}') HTTP/1.1\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n`;
  const send = (body: string, prefer?: string) =>
    fetch(api('$batch'), {
      method: 'POST',
      headers: { ...headers({ 'Content-Type': 'multipart/mixed; boundary="batch_1"' }), ...(prefer ? { Prefer: prefer } : {}) },
      body,
    });

  test('a change set is atomic; with continue-on-error the answer is 200 with a part per request', async () => {
    const body =
      `--batch_1\r\nContent-Type: multipart/mixed; boundary="changeset_a"\r\n\r\n` +
      `--changeset_a\r\n${part(1, 'B1', { pos_name: 'B1' })}--changeset_a\r\n${part(2, 'B2', {})}--changeset_a--\r\n` +
      `--batch_1\r\n${part(3, 'B3', { pos_name: 'B3' })}--batch_1--\r\n`;
    const res = await send(body, 'odata.continue-on-error');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
    expect(text).toMatch(/Content-ID: 2\r\n\r\nHTTP\/1\.1 400 Bad Request/);
    expect(text).toMatch(/Content-ID: 3\r\n\r\nHTTP\/1\.1 204 No Content/);
    const keys = dv.rows('pos_stores').map((r) => r.pos_hubstoreid);
    expect(keys).toContain('B3');
    expect(keys).not.toContain('B1');
  });

  test('without continue-on-error the first failure stops the batch: 400 with that error alone', async () => {
    const body = `--batch_1\r\n${part(1, 'E1', { pos_name: 'E1' })}--batch_1\r\n${part(2, 'E2', { pos_name: 1 })}--batch_1\r\n${part(3, 'E3', { pos_name: 'E3' })}--batch_1--\r\n`;
    const res = await send(body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(text).toContain('Content-ID: 2');
    const keys = dv.rows('pos_stores').map((r) => r.pos_hubstoreid);
    expect(keys).toContain('E1');
    expect(keys).not.toContain('E3');
  });
});

describe('queries', () => {
  test('$filter on keys with eq/and, $select and $top', async () => {
    await patch("pos_stores(pos_hubstoreid='Q''1')", { pos_name: 'Quote' });
    const filter = encodeURIComponent("pos_hubstoreid eq 'Q''1' and pos_name eq 'Quote'");
    const res = await fetch(api(`pos_stores?$select=pos_name&$filter=${filter}`), { headers: headers() });
    const body = (await res.json()) as { value: Array<Record<string, unknown>> };
    expect(body.value).toEqual([{ pos_storeid: expect.stringMatching(/^[0-9a-f-]{36}$/), pos_name: 'Quote' }]);
    const top = (await (await fetch(api('pos_stores?$top=2'), { headers: headers() })).json()) as { value: unknown[] };
    expect(top.value).toHaveLength(2);
    const bad = await fetch(api(`pos_stores?$filter=${encodeURIComponent('nope eq 1')}`), { headers: headers() });
    expect(bad.status).toBe(400);
  });
});

describe('auth', () => {
  test('no token: 401 with the Bearer challenge; an expired token: invalid_token "The access token expired"', async () => {
    const none = await fetch(api('pos_stores'), { headers: { Accept: 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=${dv.url}/`);
    dv.acceptToken('tok-a');
    expect((await fetch(api('pos_stores?$top=1'), { headers: { Authorization: 'Bearer tok-a' } })).status).toBe(200);
    dv.expireToken('tok-a');
    const expired = await fetch(api('pos_stores?$top=1'), { headers: { Authorization: 'Bearer tok-a' } });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="The access token expired", authorization_uri=/);
  });
});

describe('persistence', () => {
  test('rows survive a restart on the same data directory', async () => {
    await patch("pos_stores(pos_hubstoreid='P1')", { pos_name: 'persisted' });
    const before = dv.rows('pos_stores');
    await dv.stop();
    const file = JSON.parse(readFileSync(path.join(dataDir, 'dataverse.json'), 'utf8')) as { version: number };
    expect(file.version).toBe(1);
    dv = await startDataverseStandIn({ dataDir });
    expect(dv.rows('pos_stores')).toEqual(before);
    const res = await patch("pos_stores(pos_hubstoreid='P1')", { pos_name: 'x' }, { 'If-None-Match': '*' });
    expect(res.status).toBe(412);
  });
});

describe('deletes and removing links', () => {
  const get = async (p: string) => (await (await fetch(api(p), { headers: headers() })).json()) as { value: Array<Record<string, unknown>> };
  const del = (p: string) => fetch(api(p), { method: 'DELETE', headers: headers() });
  const txBody = (key: string, contact: string | null) => ({
    pos_name: key,
    pos_source: 'canonical',
    pos_sourcekey: key,
    pos_kind: 'sale',
    pos_channel: 'store',
    pos_businessdate: '2026-11-30',
    pos_occurredat: '2026-11-30T15:04:05Z',
    pos_currency: 'USD',
    pos_total: 1,
    pos_discounttotal: 0,
    pos_linecount: 1,
    'pos_StoreId@odata.bind': "/pos_stores(pos_hubstoreid='DS')",
    ...(contact ? { 'pos_ContactId@odata.bind': `/contacts(pos_customerref='${contact}')` } : {}),
  });
  const lineBody = (tx: string) => ({ pos_name: 'l', pos_lineno: 1, pos_sku: 's', pos_quantity: 1, pos_unitprice: 1, pos_amount: 1, pos_discount: 0, 'pos_TransactionId@odata.bind': `/pos_transactions(pos_hubid='${tx}')` });
  const tx = (key: string) => dv.rows('pos_transactions').find((r) => r.pos_hubid === key);
  const contactId = (key: string) => dv.rows('contacts').find((r) => r.pos_customerref === key)?.contactid;

  beforeAll(async () => {
    expect((await patch("pos_stores(pos_hubstoreid='DS')", { pos_name: 'DS' })).status).toBe(204);
  });

  test('DELETE by alternate key or by id: 204; again: 404 0x80040217', async () => {
    await patch("contacts(pos_customerref='r-del1')", { pos_emailref: 'em_1' });
    await patch("contacts(pos_customerref='r-del2')", { pos_emailref: 'em_2' });
    const byKey = await del("contacts(pos_customerref='r-del1')");
    expect(byKey.status).toBe(204);
    const id = String(contactId('r-del2'));
    expect((await del(`contacts(${id})`)).status).toBe(204);
    expect(dv.rows('contacts').filter((r) => /^r-del/.test(String(r.pos_customerref)))).toEqual([]);
    const again = await del("contacts(pos_customerref='r-del1')");
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('0x80040217');
    expect((await del(`contacts(${id})`)).status).toBe(404);
    // The key is free again: a new row under it is a new row.
    await patch("contacts(pos_customerref='r-del1')", { pos_emailref: 'em_1' });
    expect(dv.rows('contacts').filter((r) => r.pos_customerref === 'r-del1')).toHaveLength(1);
  });

  test('deleting a contact removes the link (RemoveLink): its transactions stay with the lookup cleared, others keep theirs', async () => {
    await patch("contacts(pos_customerref='r-gone')", { pos_emailref: 'em_g' });
    await patch("contacts(pos_customerref='r-kept')", { pos_emailref: 'em_k' });
    for (const [key, contact] of [['DT1', 'r-gone'], ['DT2', 'r-gone'], ['DT3', 'r-kept']] as const) {
      expect((await patch(`pos_transactions(pos_hubid='${key}')`, txBody(key, contact))).status).toBe(204);
    }
    const kept = contactId('r-kept');
    expect((await del("contacts(pos_customerref='r-gone')")).status).toBe(204);
    expect([tx('DT1')?._pos_contactid_value, tx('DT2')?._pos_contactid_value, tx('DT3')?._pos_contactid_value]).toEqual([null, null, kept]);
    expect(tx('DT1')).toMatchObject({ pos_hubid: 'DT1', pos_total: 1, _pos_storeid_value: expect.any(String) });
  });

  test('deleting a transaction cascades to its lines, as its relationship says (Cascade)', async () => {
    await patch("pos_transactions(pos_hubid='DC1')", txBody('DC1', null));
    await patch("pos_transactionlines(pos_hublineid='DC1-1')", lineBody('DC1'));
    expect((await del("pos_transactions(pos_hubid='DC1')")).status).toBe(204);
    expect(dv.rows('pos_transactionlines').some((r) => r.pos_hublineid === 'DC1-1')).toBe(false);
  });

  test('DELETE <row>/<nav>/$ref and PATCH <nav>@odata.bind: null each remove one link; the rows stay', async () => {
    await patch("contacts(pos_customerref='r-link')", { pos_emailref: 'em_l' });
    await patch("pos_transactions(pos_hubid='DR1')", txBody('DR1', 'r-link'));
    await patch("pos_transactions(pos_hubid='DR2')", txBody('DR2', 'r-link'));
    const unref = await del("pos_transactions(pos_hubid='DR1')/pos_ContactId/$ref");
    expect(unref.status).toBe(204);
    const nulled = await patch("pos_transactions(pos_hubid='DR2')", { 'pos_ContactId@odata.bind': null }, { 'If-Match': '*' });
    expect(nulled.status).toBe(204);
    expect([tx('DR1')?._pos_contactid_value, tx('DR2')?._pos_contactid_value]).toEqual([null, null]);
    expect(tx('DR1')?._pos_storeid_value).toEqual(expect.any(String));
    expect(contactId('r-link')).toEqual(expect.any(String));
    // Navigation properties are case-sensitive; a missing row is 404, never an upsert.
    expect((await del("pos_transactions(pos_hubid='DR1')/pos_contactid/$ref")).status).toBe(404);
    expect((await del("pos_transactions(pos_hubid='NOPE')/pos_ContactId/$ref")).status).toBe(404);
    expect(dv.rows('pos_transactions').some((r) => r.pos_hubid === 'NOPE')).toBe(false);
    // A required lookup cannot be emptied.
    await patch("pos_transactionlines(pos_hublineid='DR1-1')", lineBody('DR1'));
    const required = await patch("pos_transactionlines(pos_hublineid='DR1-1')", { 'pos_TransactionId@odata.bind': null }, { 'If-Match': '*' });
    expect(required.status).toBe(400);
  });

  test('a delete in a change set is undone with the rest when another operation fails, links included', async () => {
    await patch("contacts(pos_customerref='r-atomic')", { pos_emailref: 'em_a' });
    await patch("pos_transactions(pos_hubid='DA1')", txBody('DA1', 'r-atomic'));
    const linked = tx('DA1')?._pos_contactid_value;
    const op = (id: number, line: string, body = '') =>
      `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: ${id}\r\n\r\n${line} HTTP/1.1\r\nContent-Type: application/json\r\n\r\n${body}\r\n`;
    const body =
      `--batch_1\r\nContent-Type: multipart/mixed; boundary="changeset_d"\r\n\r\n` +
      `--changeset_d\r\n${op(1, "DELETE /api/data/v9.2/contacts(pos_customerref='r-atomic')")}` +
      `--changeset_d\r\n${op(2, "DELETE /api/data/v9.2/contacts(pos_customerref='r-absent')")}--changeset_d--\r\n--batch_1--\r\n`;
    const res = await fetch(api('$batch'), { method: 'POST', headers: headers({ 'Content-Type': 'multipart/mixed; boundary="batch_1"' }), body });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/HTTP\/1\.1 404 Not Found/);
    expect(contactId('r-atomic')).toBe(linked);
    expect(tx('DA1')?._pos_contactid_value).toBe(linked);
  });

  test('$filter joins comparisons with or and and, and takes parentheses (and binds tighter than or)', async () => {
    await patch("contacts(pos_customerref='r-f1')", { pos_emailref: 'em_f', pos_phoneref: 'ph_1' });
    await patch("contacts(pos_customerref='r-f2')", { pos_emailref: 'em_f', pos_phoneref: 'ph_2' });
    await patch("contacts(pos_customerref='l-f3')", { pos_loyaltyref: 'ly_f' });
    const keys = async (filter: string) =>
      (await get(`contacts?$select=pos_customerref&$filter=${encodeURIComponent(filter)}`)).value.map((r) => r.pos_customerref).sort();
    expect(await keys("pos_loyaltyref eq 'ly_f' or pos_customerref eq 'r-f1'")).toEqual(['l-f3', 'r-f1']);
    expect(await keys("pos_loyaltyref eq 'ly_f' or pos_emailref eq 'em_f' and pos_phoneref eq 'ph_2'")).toEqual(['l-f3', 'r-f2']);
    expect(await keys("(pos_loyaltyref eq 'ly_f' or pos_emailref eq 'em_f') and pos_phoneref ne 'ph_2'")).toEqual(['l-f3', 'r-f1']);
    const unclosed = await fetch(api(`contacts?$filter=${encodeURIComponent("(pos_emailref eq 'em_f'")}`), { headers: headers() });
    expect(unclosed.status).toBe(400);
    const unknown = await fetch(api(`contacts?$filter=${encodeURIComponent("pos_emailref eq 'x' or nope eq 1")}`), { headers: headers() });
    expect(unknown.status).toBe(400);
  });

  test('deletes count against the service protection limits like any request', async () => {
    const limited = await startDataverseStandIn({ limits: { requestsPerWindow: 2, windowMs: 60_000, maxConcurrent: 52 } });
    try {
      const h = headers();
      const at = (p: string) => `${limited.url}/api/data/v9.2/${p}`;
      await fetch(at("contacts(pos_customerref='r-t')"), { method: 'PATCH', headers: h, body: '{}' });
      expect((await fetch(at("contacts(pos_customerref='r-t')"), { method: 'DELETE', headers: h })).status).toBe(204);
      const refused = await fetch(at("contacts(pos_customerref='r-t')"), { method: 'DELETE', headers: h });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited.stats().throttled['0x80072322']).toBe(1);
    } finally {
      await limited.stop();
    }
  });
});

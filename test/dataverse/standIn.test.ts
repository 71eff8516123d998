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

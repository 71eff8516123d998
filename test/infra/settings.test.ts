import { loadSettings, SETTINGS, SettingsError } from '../../shared/platform/settings';

const clientId = '6f1c2a9e-3b7d-4e21-9c55-0a8b7d3e1f42';
const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const pseudonymKey = 'k'.repeat(40);

/** What the function app sees in Azure once Key Vault references are resolved. */
const azureEnv = {
  AzureWebJobsStorage__credential: 'managedidentity',
  AzureWebJobsStorage__clientId: clientId,
  AzureWebJobsStorage__blobServiceUri: 'https://posrtdev.blob.core.windows.net/',
  AzureWebJobsStorage__queueServiceUri: 'https://posrtdev.queue.core.windows.net/',
  AzureWebJobsStorage__tableServiceUri: 'https://posrtdev.table.core.windows.net/',
  POS_HUB_LAKE_BLOB_URL: 'https://poslakedev.blob.core.windows.net/',
  POS_HUB_LAKE_CONTAINER: 'lake',
  EventHubConnection__fullyQualifiedNamespace: 'evhns-pos-hub-dev.servicebus.windows.net',
  EventHubConnection__credential: 'managedidentity',
  EventHubConnection__clientId: clientId,
  POS_HUB_EVENTHUB_NAME: 'pos-transactions',
  POS_HUB_EVENTHUB_CONSUMER_GROUP: 'pos-hub-ingest',
  POS_HUB_ALERTS_EVENTHUB_NAME: 'stock-alerts',
  POS_HUB_PSEUDONYM_KEY: pseudonymKey,
  SHOPIFY_WEBHOOK_SECRETS: 'shpss_new, shpss_old',
  SQUARE_WEBHOOK_SIGNATURE_KEYS: 'sq-key',
  SQUARE_WEBHOOK_URL: 'https://func-pos-hub-dev.azurewebsites.net/api/v1/webhooks/square',
  CLOVER_AUTH_CODES: '',
  LIGHTSPEED_WEBHOOK_SECRETS: 'ls-1,,ls-2,',
  POS_HUB_FETCH_SCHEDULE: '0 */1 * * * *',
  SQUARE_ACCESS_TOKEN: 'EAAAsq-token',
  SQUARE_ACCESS_TOKENS: '{"MLX4T9W1QZ3B8": "EAAAsq-seller-1", " L88917AVBK2S5 ": " EAAAsq-seller-2 "}',
  SQUARE_API_BASE_URL: '',
  CLOVER_API_TOKENS: '{"SJ925KWR8K6S2": "clover-token-1", " 7XKQ1M3N5B8V0 ": " clover-token-2 "}',
  CLOVER_API_BASE_URL: 'https://api.eu.clover.com',
  POS_HUB_WORK_ITEM_RETENTION_DAYS: '7',
  POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS: '45',
  POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: '10',
  POS_HUB_HISTORY_RETENTION_DAYS: '60',
  DATAVERSE_URL: 'https://pos-hub-dev.crm4.dynamics.com',
  AZURE_CLIENT_ID: clientId,
  ENTRA_TENANT_ID: tenantId,
  ENTRA_AUDIENCE: 'api://pos-hub-dev',
  POS_HUB_ADMIN_KEYS: ' adm-new , adm-old',
  POS_HUB_ADMIN_ROLE: 'PosHub.Admin',
  POS_HUB_DEFAULT_CURRENCY: 'EUR',
  POS_HUB_DEFAULT_TIMEZONE: 'Europe/Stockholm',
  POS_HUB_STORES: '{"S001": {"timeZone": "America/New_York"}, " S042 ": {"timeZone": "America/Los_Angeles", "currency": "USD", "country": "US"}}',
  POS_HUB_MAX_BODY_BYTES: '4194304',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${clientId}`,
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadSettings(env);
  } catch (e) {
    if (e instanceof SettingsError) return e.problems;
    throw e;
  }
  throw new Error('expected a SettingsError');
}

describe('loadSettings', () => {
  it('reads the identity-based Azure configuration', () => {
    expect(loadSettings(azureEnv)).toEqual({
      storage: {
        kind: 'identity',
        blobServiceUri: 'https://posrtdev.blob.core.windows.net/',
        queueServiceUri: 'https://posrtdev.queue.core.windows.net/',
        tableServiceUri: 'https://posrtdev.table.core.windows.net/',
        clientId,
      },
      lake: { kind: 'identity', blobUrl: 'https://poslakedev.blob.core.windows.net/', container: 'lake' },
      eventHubs: {
        kind: 'identity',
        fullyQualifiedNamespace: 'evhns-pos-hub-dev.servicebus.windows.net',
        clientId,
        transactionsHub: 'pos-transactions',
        alertsHub: 'stock-alerts',
        consumerGroup: 'pos-hub-ingest',
      },
      pseudonymKey,
      webhooks: {
        shopifySecrets: ['shpss_new', 'shpss_old'],
        squareSignatureKeys: ['sq-key'],
        squareWebhookUrl: 'https://func-pos-hub-dev.azurewebsites.net/api/v1/webhooks/square',
        cloverAuthCodes: [],
        lightspeedSecrets: ['ls-1', 'ls-2'],
      },
      fetcher: {
        schedule: '0 */1 * * * *',
        squareAccessToken: 'EAAAsq-token',
        squareApiBaseUrl: 'https://connect.squareup.com',
        squareAccessTokens: { MLX4T9W1QZ3B8: 'EAAAsq-seller-1', L88917AVBK2S5: 'EAAAsq-seller-2' },
        cloverApiTokens: { SJ925KWR8K6S2: 'clover-token-1', '7XKQ1M3N5B8V0': 'clover-token-2' },
        cloverApiBaseUrl: 'https://api.eu.clover.com',
        retentionDays: 7,
        failedRetentionDays: 45,
        deliveryRetentionDays: 10,
      },
      historyRetentionDays: 60,
      dataverseUrl: 'https://pos-hub-dev.crm4.dynamics.com',
      identity: { clientId, tenantId, audience: 'api://pos-hub-dev' },
      ingestAuth: { keys: [], jwksUrl: null, issuer: null },
      adminAuth: { keys: ['adm-new', 'adm-old'], role: 'PosHub.Admin' },
      defaults: { currency: 'EUR', timeZone: 'Europe/Stockholm', maxBodyBytes: 4194304 },
      stores: new Map([
        ['S001', { timeZone: 'America/New_York' }],
        ['S042', { timeZone: 'America/Los_Angeles', currency: 'USD', country: 'US' }],
      ]),
      appInsights: {
        connectionString: azureEnv.APPLICATIONINSIGHTS_CONNECTION_STRING,
        authenticationString: `Authorization=AAD;ClientId=${clientId}`,
      },
    });
  });

  it('accepts the local emulators’ connection strings and fills in the defaults', () => {
    const settings = loadSettings({
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      POS_HUB_LAKE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      EventHubConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true',
      POS_HUB_PSEUDONYM_KEY: 'replace-with-a-long-random-local-key',
    });
    expect(settings.storage).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' });
    expect(settings.lake).toEqual({ kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true', container: 'lake' });
    expect(settings.eventHubs).toEqual({
      kind: 'connectionString',
      connectionString: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=local;SharedAccessKey=local;UseDevelopmentEmulator=true',
      transactionsHub: 'pos-transactions',
      alertsHub: 'stock-alerts',
      consumerGroup: '$Default',
    });
    expect(settings.defaults).toEqual({ currency: null, timeZone: null, maxBodyBytes: 4 * 1024 * 1024 });
    expect(settings.stores).toEqual(new Map());
    expect(settings.webhooks.shopifySecrets).toEqual([]);
    expect(settings.dataverseUrl).toBeNull();
    expect(settings.historyRetentionDays).toBe(30);
    expect(settings.identity).toEqual({ clientId: null, tenantId: null, audience: null });
    // No admin key locally unless one is set (local/runtime.ts gives its function key); the default role.
    expect(settings.adminAuth).toEqual({ keys: [], role: 'PosHub.Admin' });
    expect(settings.fetcher).toEqual({
      schedule: '0 */1 * * * *',
      squareAccessToken: null,
      squareAccessTokens: {},
      squareApiBaseUrl: 'https://connect.squareup.com',
      cloverApiTokens: {},
      cloverApiBaseUrl: 'https://api.clover.com',
      retentionDays: 7,
      failedRetentionDays: 30,
      deliveryRetentionDays: 7,
    });
  });

  it('refuses a malformed fetch schedule, Square or Clover token map or retention, naming the setting and never the tokens', () => {
    const cases: [Record<string, string>, string][] = [
      [{ CLOVER_API_TOKENS: 'SJ925KWR8K6S2=secret-token-a' }, 'CLOVER_API_TOKENS: not JSON: expected {"<merchantId>": "<token>"}'],
      [{ CLOVER_API_TOKENS: '["secret-token-a"]' }, 'CLOVER_API_TOKENS: expected a JSON object {"<merchantId>": "<token>"}'],
      [{ CLOVER_API_TOKENS: '{"SJ925KWR8K6S2": "secret-token-a", "7XKQ1M3N5B8V0": ""}' }, 'CLOVER_API_TOKENS: every merchant id needs a non-empty token string'],
      [{ CLOVER_API_TOKENS: '{"SJ925KWR8K6S2": 42}' }, 'CLOVER_API_TOKENS: every merchant id needs a non-empty token string'],
      [{ SQUARE_ACCESS_TOKENS: 'EAAAsq-secret-token-a' }, 'SQUARE_ACCESS_TOKENS: not JSON: expected {"<merchantId>": "<token>"}'],
      [{ SQUARE_ACCESS_TOKENS: '"secret-token-a"' }, 'SQUARE_ACCESS_TOKENS: expected a JSON object {"<merchantId>": "<token>"}'],
      [{ SQUARE_ACCESS_TOKENS: '{"MLX4T9W1QZ3B8": "secret-token-a", "": "EAAAsq-other"}' }, 'SQUARE_ACCESS_TOKENS: every merchant id needs a non-empty token string'],
      [{ POS_HUB_FETCH_SCHEDULE: 'every minute' }, 'POS_HUB_FETCH_SCHEDULE: expected six NCRONTAB fields, e.g. "0 */1 * * * *"'],
      [{ POS_HUB_FETCH_SCHEDULE: '*/5 * * * *' }, 'POS_HUB_FETCH_SCHEDULE: expected six NCRONTAB fields, e.g. "0 */1 * * * *"'],
      [{ SQUARE_API_BASE_URL: 'ftp://connect.squareup.com' }, 'SQUARE_API_BASE_URL: Invalid URL'],
      // Shorter than the webhook age window, a redelivery could make a row the sweep deleted again.
      [{ POS_HUB_WORK_ITEM_RETENTION_DAYS: '3' }, 'POS_HUB_WORK_ITEM_RETENTION_DAYS: at least 4 days: longer than the 72-hour webhook age window'],
      [{ POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS: '2' }, 'POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS: at least 4 days: longer than the 72-hour webhook age window'],
      [{ POS_HUB_WORK_ITEM_RETENTION_DAYS: '7.5' }, 'POS_HUB_WORK_ITEM_RETENTION_DAYS: expected whole days'],
      // Shorter than the age window, a redelivery with a sent time could be accepted again after its
      // ledger entry was deleted.
      [{ POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: '3' }, 'POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: at least 4 days: longer than the 72-hour webhook age window'],
      [{ POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: 'a week' }, 'POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: Invalid input: expected number, received NaN'],
      [{ POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: '3651' }, 'POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: at most 3650 days'],
      [{ POS_HUB_HISTORY_RETENTION_DAYS: '-1' }, 'POS_HUB_HISTORY_RETENTION_DAYS: at least 0 days'],
      [{ POS_HUB_HISTORY_RETENTION_DAYS: '1.5' }, 'POS_HUB_HISTORY_RETENTION_DAYS: expected whole days'],
      // Entra ID refuses an app role value with a space: a token could never carry it.
      [{ POS_HUB_ADMIN_ROLE: 'PosHub Admin' }, 'POS_HUB_ADMIN_ROLE: an app role value: 1-120 characters, no spaces'],
    ];
    for (const [bad, problem] of cases) {
      const problems = problemsOf({ ...azureEnv, ...bad });
      expect(problems).toEqual([problem]);
      expect(problems.join('\n')).not.toContain('secret-token-a');
    }
    expect(loadSettings({ ...azureEnv, POS_HUB_FETCH_SCHEDULE: '30 */5 * * * MON-FRI' }).fetcher.schedule).toBe('30 */5 * * * MON-FRI');
  });

  it('reads POS_HUB_STORES into a map, each field optional; "{}" and an empty value are no stores', () => {
    const stores = loadSettings({ ...azureEnv, POS_HUB_STORES: '{"S7": {}, "S8": {"currency": " CAD "}, "S9": {"country": "SE"}}' }).stores;
    expect([...stores]).toEqual([
      ['S7', {}],
      ['S8', { currency: 'CAD' }],
      ['S9', { country: 'SE' }],
    ]);
    expect(loadSettings({ ...azureEnv, POS_HUB_STORES: '{}' }).stores.size).toBe(0);
    expect(loadSettings({ ...azureEnv, POS_HUB_STORES: ' ' }).stores.size).toBe(0);
  });

  it('refuses a malformed POS_HUB_STORES, naming the store and the field', () => {
    const cases: [string, string][] = [
      ['S001=America/New_York', 'POS_HUB_STORES: not JSON: expected {"<storeId>": {"timeZone": "...", "currency": "...", "country": "..."}}'],
      ['[{"S001": {}}]', 'POS_HUB_STORES: expected a JSON object {"<storeId>": {"timeZone": "...", "currency": "...", "country": "..."}}'],
      ['{"S001": {"timeZone": "America/New_York"}, "S042": {"timeZone": "America/Los Angeles"}}', 'POS_HUB_STORES: store "S042" timeZone: not an IANA time zone'],
      ['{"S042": {"currency": "USDX"}}', 'POS_HUB_STORES: store "S042" currency: not an ISO 4217 currency code'],
      ['{"S042": {"currency": "usd"}}', 'POS_HUB_STORES: store "S042" currency: not an ISO 4217 currency code'],
      ['{"S042": {"currency": "XYZ"}}', 'POS_HUB_STORES: store "S042" currency: not an ISO 4217 currency code'],
      ['{"S042": {"country": "USA"}}', 'POS_HUB_STORES: store "S042" country: not an ISO 3166 alpha-2 country code'],
      ['{"S042": {"country": "QQ"}}', 'POS_HUB_STORES: store "S042" country: not an ISO 3166 alpha-2 country code'],
      ['{"S042": {"timeZone": -8}}', 'POS_HUB_STORES: store "S042" timeZone: expected a string'],
      ['{"S042": {"zone": "America/Los_Angeles"}}', 'POS_HUB_STORES: store "S042" zone: unknown field (expected timeZone, currency or country)'],
      ['{"S042": "America/Los_Angeles"}', 'POS_HUB_STORES: store "S042": expected an object with timeZone, currency or country'],
      ['{"S042": {}, " S042": {}}', 'POS_HUB_STORES: store "S042": given twice'],
      ['{" ": {"timeZone": "UTC"}}', 'POS_HUB_STORES: a store id is empty'],
    ];
    for (const [value, problem] of cases) expect([value, problemsOf({ ...azureEnv, POS_HUB_STORES: value })]).toEqual([value, [problem]]);
  });

  it('names every missing connection and the missing key at once', () => {
    expect(problemsOf({})).toEqual([
      'POS_HUB_PSEUDONYM_KEY: required',
      'AzureWebJobsStorage__blobServiceUri: required (or AzureWebJobsStorage locally)',
      'AzureWebJobsStorage__queueServiceUri: required (or AzureWebJobsStorage locally)',
      'AzureWebJobsStorage__tableServiceUri: required (or AzureWebJobsStorage locally)',
      'POS_HUB_LAKE_BLOB_URL: required (or POS_HUB_LAKE_CONNECTION_STRING locally)',
      'EventHubConnection__fullyQualifiedNamespace: required (or EventHubConnection locally)',
    ]);
  });

  it('reports an unresolved Key Vault reference instead of using its text as a secret', () => {
    const env = { ...azureEnv, POS_HUB_PSEUDONYM_KEY: '@Microsoft.KeyVault(SecretUri=https://kv-poshub-x.vault.azure.net/secrets/pseudonym-key/)' };
    expect(problemsOf(env)).toEqual([
      'POS_HUB_PSEUDONYM_KEY: Key Vault reference not resolved (is secret "pseudonym-key" set, and may the app\'s identity read it?)',
    ]);
    const admin = { ...azureEnv, POS_HUB_ADMIN_KEYS: '@Microsoft.KeyVault(SecretUri=https://kv-poshub-x.vault.azure.net/secrets/admin-keys/)' };
    expect(problemsOf(admin)).toEqual(['POS_HUB_ADMIN_KEYS: Key Vault reference not resolved (is secret "admin-keys" set, and may the app\'s identity read it?)']);
  });

  it('rejects bad values without ever echoing them', () => {
    const env = {
      ...azureEnv,
      POS_HUB_PSEUDONYM_KEY: 'too-short-secret-value',
      POS_HUB_DEFAULT_CURRENCY: 'EURO',
      POS_HUB_DEFAULT_TIMEZONE: 'Mars/Olympus_Mons',
      POS_HUB_MAX_BODY_BYTES: String(200 * 1024 * 1024),
      EventHubConnection__fullyQualifiedNamespace: 'sb://evhns.servicebus.windows.net:5671',
      AzureWebJobsStorage__credential: 'connectionstring',
      ENTRA_TENANT_ID: '',
    };
    let error: unknown;
    try {
      loadSettings(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toEqual([
      'AzureWebJobsStorage__credential: Invalid input: expected "managedidentity"',
      'EventHubConnection__fullyQualifiedNamespace: a host name, without scheme or port',
      'POS_HUB_PSEUDONYM_KEY: must be at least 32 characters',
      'POS_HUB_DEFAULT_CURRENCY: not an ISO 4217 currency code',
      'POS_HUB_DEFAULT_TIMEZONE: not an IANA time zone',
      'POS_HUB_MAX_BODY_BYTES: Too big: expected number to be <=104857600',
      'ENTRA_TENANT_ID: required when ENTRA_AUDIENCE is set',
    ]);
    expect((error as Error).message).not.toContain('too-short-secret-value');
  });
});

describe('SETTINGS', () => {
  it('lists each name once', () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every secret a Key Vault secret name, and no other setting one', () => {
    for (const s of SETTINGS) expect([s.name, s.secret]).toEqual([s.name, s.keyVaultSecret !== undefined]);
    expect(SETTINGS.filter((s) => s.secret).map((s) => s.keyVaultSecret)).toEqual([
      'pseudonym-key',
      'shopify-webhook-secrets',
      'square-webhook-signature-keys',
      'clover-auth-codes',
      'lightspeed-webhook-secrets',
      'square-access-token',
      'square-access-tokens',
      'clover-api-tokens',
      'ingest-keys',
      'admin-keys',
    ]);
  });

  it('keeps connection strings local: none is a secret for Azure or required', () => {
    expect(SETTINGS.filter((s) => s.localOnly).map((s) => [s.name, s.secret, s.required])).toEqual([
      ['AzureWebJobsStorage', false, false],
      ['POS_HUB_LAKE_CONNECTION_STRING', false, false],
      ['EventHubConnection', false, false],
    ]);
  });
});

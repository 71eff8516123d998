// Compiles and lints infra/, then checks the security baseline (PSRule, Checkov, Azure Policy) and
// the hub's own needs on what Azure Resource Manager would deploy for each parameters file.
import { OPERATION_EVENTS, batchOutcomeEvent, deadLetterEvent, fetchOutcomeEvent } from '../../shared/platform/operationEvents';
import { erasureOutcomeEvent } from '../../shared/privacy/erasureRecord';
import { SETTINGS } from '../../shared/platform/settings';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bicepPath, buildInfra, repoRoot, nestedTemplates, resourcesOf, subscriptionId, type ArmResource, type InfraBuild, type Snapshot } from './bicep';

const bicep = bicepPath();
if (!bicep) {
  if (process.env.CI === 'true') {
    test('the Bicep CLI is installed (CI requires it: scripts/restore-bicep.sh)', () => {
      throw new Error('No Bicep CLI at .tools/bicep or BICEP_PATH; CI must restore it with scripts/restore-bicep.sh');
    });
  } else {
    console.warn('test/infra: no Bicep CLI (.tools/bicep or BICEP_PATH); run scripts/restore-bicep.sh. Skipping the Bicep tests.');
  }
}
const describeWithBicep = bicep ? describe : describe.skip;

const role = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab',
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  blobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  eventHubsDataReceiver: 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  eventHubsDataSender: '2b629674-e913-4c01-ae53-ef4638d8f975',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
};

/** Resource types that must send logs/metrics to Log Analytics. */
const NEEDS_DIAGNOSTICS = [
  'Microsoft.Storage/storageAccounts',
  'Microsoft.Storage/storageAccounts/blobServices',
  'Microsoft.Storage/storageAccounts/queueServices',
  'Microsoft.Storage/storageAccounts/tableServices',
  'Microsoft.EventHub/namespaces',
  'Microsoft.KeyVault/vaults',
  'Microsoft.Web/sites',
  'Microsoft.Network/virtualNetworks',
];
/** Every other type deployed, with the reason it has no diagnostic setting of its own. */
const NO_DIAGNOSTICS: Record<string, string> = {
  'Microsoft.Resources/resourceGroups': 'not a monitored resource',
  'Microsoft.ManagedIdentity/userAssignedIdentities': 'no diagnostic categories',
  'Microsoft.OperationalInsights/workspaces': 'the destination itself',
  'Microsoft.Insights/components': 'workspace-based: its telemetry is already in the workspace',
  'Microsoft.Insights/diagnosticSettings': 'the settings themselves',
  'Microsoft.Authorization/roleAssignments': 'recorded in the activity log',
  'Microsoft.Storage/storageAccounts/blobServices/containers': 'covered by the blob service setting',
  'Microsoft.Storage/storageAccounts/managementPolicies': 'configuration of the account',
  'Microsoft.EventHub/namespaces/eventhubs': 'covered by the namespace setting',
  'Microsoft.EventHub/namespaces/eventhubs/consumergroups': 'covered by the namespace setting',
  'Microsoft.KeyVault/vaults/secrets': 'covered by the vault audit log',
  'Microsoft.Web/serverfarms': 'Flex Consumption reports on the app, whose setting is on',
  'Microsoft.Web/sites/config': 'configuration of the app',
  'Microsoft.Web/sites/basicPublishingCredentialsPolicies': 'configuration of the app',
  'Microsoft.Network/privateDnsZones': 'no diagnostic categories',
  'Microsoft.Network/privateDnsZones/virtualNetworkLinks': 'no diagnostic categories',
  'Microsoft.Network/privateEndpoints': 'no diagnostic categories',
  'Microsoft.Network/privateEndpoints/privateDnsZoneGroups': 'no diagnostic categories',
  // Their own activity (firing, resolving, notifications) is in the activity log and Alerts history.
  'Microsoft.Insights/scheduledQueryRules': 'no diagnostic categories worth sending: firings are in the activity log and Alerts history',
  'Microsoft.Insights/actionGroups': 'no diagnostic categories: notifications are recorded in Alerts history',
};

function ofType(s: Snapshot, type: string): ArmResource[] {
  return s.predictedResources.filter((r) => r.type === type);
}
function one(s: Snapshot, type: string, namePrefix = ''): ArmResource {
  const found = ofType(s, type).filter((r) => r.name.startsWith(namePrefix));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${namePrefix}*, found ${found.length}`);
  return found[0] as ArmResource;
}
const lakeRules = (s: Snapshot) => one(s, 'Microsoft.Storage/storageAccounts/managementPolicies', 'poslake').properties.policy.rules;
const rg = (env: string) => `/subscriptions/${subscriptionId}/resourceGroups/rg-pos-hub-${env}`;

describeWithBicep('infra (Bicep)', () => {
  let build: InfraBuild;
  beforeAll(async () => {
    // Raw retention edge cases the shipped parameter files do not use: the default, and a value below
    // the quarantine retention.
    const dev = readFileSync(path.join(repoRoot, 'infra', 'main.bicepparam'), 'utf8');
    const withRaw = (line: string) => {
      const text = dev.replace(/^param rawRetentionDays = .*\n/m, line);
      if (text === dev) throw new Error('infra/main.bicepparam no longer sets rawRetentionDays');
      return text;
    };
    // Alert recipients set and the quarantine rule turned off (the shipped files set neither).
    const withAlerts = dev.replace(/^param alertEmails = .*\n/m, "param alertEmails = ['ops@example.org']\nparam quarantineAlertPercent = 0\n");
    if (withAlerts === dev) throw new Error('infra/main.bicepparam no longer sets alertEmails');
    // A store map, as POS_HUB_STORES would give it at deployment.
    const withStores = dev.replace(/^param stores = .*\n/m, "param stores = {\n  S042: { timeZone: 'America/Los_Angeles', currency: 'USD' }\n}\n");
    if (withStores === dev) throw new Error('infra/main.bicepparam no longer sets stores');
    build = await buildInfra(bicep as string, {
      rawkept: withRaw(''),
      rawbelowquarantine: withRaw('param rawRetentionDays = 10\n'),
      alerts: withAlerts,
      stores: withStores,
    });
  }, 300_000);

  describe('compile and lint', () => {
    it('compiles every .bicep file without a warning', () => {
      expect(build.bicepFiles).toEqual([
        'main.bicep',
        'modules/alerts.bicep',
        'modules/eventHubs.bicep',
        'modules/functionApp.bicep',
        'modules/identity.bicep',
        'modules/keyVault.bicep',
        'modules/lakeStorage.bicep',
        'modules/monitoring.bicep',
        'modules/network.bicep',
        'modules/runtimeStorage.bicep',
      ]);
      for (const file of build.bicepFiles) expect([file, build.templates[file]?.$schema]).toEqual([file, expect.stringContaining('Template.json#')]);
    });

    it('lints every .bicep and .bicepparam file with no error, warning or note', () => {
      // build and build-params print every compiler and linter (bicepconfig.json) diagnostic.
      expect(build.diagnostics).toBe('');
      expect(build.allSucceeded).toBe(true);
    });

    it('compiles both parameters files, with no secret in either', () => {
      expect(build.parameters.main.parameters.privateNetworking).toEqual({ value: false });
      expect(build.parameters.prod.parameters.privateNetworking).toEqual({ value: true });
      for (const env of ['main', 'prod'] as const) {
        const p = build.parameters[env].parameters;
        const secrets = ['pseudonymKey', 'shopifyWebhookSecrets', 'squareWebhookSignatureKeys', 'cloverAuthCodes', 'lightspeedWebhookSecrets', 'squareAccessToken', 'cloverApiTokens', 'squareAccessTokens', 'ingestKeys', 'adminKeys'];
        // With the deploying shell's variables unset, every secret is empty: none is written in the repo.
        expect(secrets.map((name) => [name, p[name]])).toEqual(secrets.map((name) => [name, { value: '' }]));
        // POS_HUB_ALERT_EMAILS unset: nobody to notify, not one empty address.
        expect(p.alertEmails).toEqual({ value: [] });
      }
    });

    it('evaluates both parameters files without a diagnostic', () => {
      expect(build.snapshots.main.diagnostics).toEqual([]);
      expect(build.snapshots.prod.diagnostics).toEqual([]);
    });

    it('declares every secret parameter @secure() with no default', () => {
      const params = build.templates['main.bicep']?.parameters as Record<string, { type: string; defaultValue?: unknown }>;
      const secure = Object.entries(params).filter(([, p]) => p.type === 'securestring');
      expect(secure.map(([name, p]) => [name, p.defaultValue])).toEqual([
        ['pseudonymKey', undefined],
        ['shopifyWebhookSecrets', undefined],
        ['squareWebhookSignatureKeys', undefined],
        ['cloverAuthCodes', undefined],
        ['lightspeedWebhookSecrets', undefined],
        ['squareAccessToken', undefined],
        ['cloverApiTokens', undefined],
        ['squareAccessTokens', undefined],
        ['ingestKeys', undefined],
        ['adminKeys', undefined],
      ]);
    });

    it('walks every module: the snapshots deploy every resource type the compiled templates declare', () => {
      const templates = nestedTemplates(build.templates['main.bicep'] as Record<string, unknown>);
      expect(templates.map((t) => t.name)).toEqual([
        'main',
        'main/identity',
        'main/monitoring',
        'main/alerts',
        'main/lake',
        'main/runtime-storage',
        'main/event-hubs',
        'main/key-vault',
        'main/network',
        'main/function-app',
      ]);
      const declared = new Set(
        templates.flatMap((t) => resourcesOf(t.template).filter((r) => !r.existing).map((r) => r.type as string)).filter((t) => t !== 'Microsoft.Resources/deployments'),
      );
      // The action group exists only with alert recipients, which the shipped files leave to the environment.
      const deployed = new Set([...build.snapshots.prod.predictedResources, ...build.extraSnapshots.alerts!.predictedResources].map((r) => r.type));
      expect([...declared].sort()).toEqual([...deployed].sort());
    });

    it('outputs the integrator endpoints and nothing secret', () => {
      const outputs = build.templates['main.bicep']?.outputs as Record<string, { value: string }>;
      expect(Object.keys(outputs)).toEqual([
        'resourceGroupName',
        'functionAppName',
        'functionAppBaseUrl',
        'ingestUrlPattern',
        'webhookUrlPattern',
        'batchStatusUrlPattern',
        'eventHubsNamespaceFqdn',
        'eventHubName',
        'alertsEventHubName',
        'lakeBlobEndpoint',
        'lakeDfsEndpoint',
        'lakeContainer',
        'keyVaultName',
        'managedIdentityClientId',
      ]);
      for (const t of nestedTemplates(build.templates['main.bicep'] as Record<string, unknown>)) {
        const text = JSON.stringify(t.template.outputs ?? {});
        expect([t.name, /\blist[A-Za-z]*\(|connectionString|secret|password/i.test(text)]).toEqual([t.name, false]);
      }
      const dev = build.snapshots.main.outputs;
      expect(dev.eventHubName).toBe('pos-transactions');
      expect(dev.alertsEventHubName).toBe('stock-alerts');
      expect(dev.lakeContainer).toBe('lake');
      expect(dev.ingestUrlPattern).toBe(
        `[format('{0}/api/v1/ingest/{{source}}', format('https://{0}', reference('${one(build.snapshots.main, 'Microsoft.Web/sites').id}', '2024-04-01').defaultHostName))]`,
      );
    });
  });

  describe('raw zone retention', () => {
    const rawActions = (s: Snapshot) => lakeRules(s).find((r: { name: string }) => r.name === 'raw-lifecycle').definition.actions.baseBlob;

    it('keeps raw payloads for good when rawRetentionDays is left at its default (an upgrade deletes nothing)', () => {
      expect(rawActions(build.extraSnapshots.rawkept!)).toEqual({ tierToCool: { daysAfterModificationGreaterThan: 14 } });
    });

    it('never deletes a raw payload before the quarantined records replay needs it for', () => {
      // dev keeps quarantine 30 days; asked for 10 days of raw, the rule waits the 30.
      expect(rawActions(build.extraSnapshots.rawbelowquarantine!).delete).toEqual({ daysAfterModificationGreaterThan: 30 });
    });
  });

  describe('alerts', () => {
    const RULE = 'Microsoft.Insights/scheduledQueryRules';
    const GROUP = 'Microsoft.Insights/actionGroups';
    /** What each rule reads: its table, event, fields and the figures a real line gives them. */
    const failed = batchOutcomeEvent({ batchId: 'poslog-c-0f3a', source: 'poslog', status: 'failed', counts: { transactions: 40, accepted: 30, quarantined: 10, dataverseLoaded: 28, dataverseFailed: 2 } });
    const deadLetter = deadLetterEvent({ source: 'shopify', code: 'malformed-body', blobName: 'deadletter/eventhubs/2026-11-30/3-1207.json' });
    const fetchStuck = fetchOutcomeEvent({ fetched: 1, gone: 0, skipped: 0, failed: 2, retrying: 0, rateLimited: 0, waiting: 3, deferred: 0 });
    const erasureGaveUp = erasureOutcomeEvent({
      erasureId: 'erasure-0123456789abcdef0123456789abcdef', finishedAt: '2026-11-30T13:00:00.000Z', dryRun: false, references: 1,
      curatedTransactions: 1, curatedFilesRewritten: 1, rawBlobsDeleted: 1, quarantineEntries: 0, deadLettersDeleted: 0, workBlobsRewritten: 3,
      contactsDeleted: 1, transactionsUnlinked: 1, batchesWaitedFor: 4, batchesStillRunning: 2,
    });
    const batchColumns = { batch: 'poslog-c-0f3a', source: 'poslog', status: 'failed', transactions: '40', quarantined: '10', dataverseFailed: '2' };
    const RULES = [
      { name: 'batches-failed', severity: 1, windowSize: 'PT15M', evaluationFrequency: 'PT5M', event: OPERATION_EVENTS.batchOutcome, line: failed.message, columns: batchColumns, text: ['status=', 'status == "failed"', 'by batch'] },
      { name: 'quarantine-share', severity: 2, windowSize: 'PT1H', evaluationFrequency: 'PT15M', event: OPERATION_EVENTS.batchOutcome, line: failed.message, columns: batchColumns, text: ['quarantined=', 'transactions=', 'arg_max(timestamp, *) by batch', 'transactions > 0 and 100.0 * quarantined / transactions > 5'] },
      { name: 'dataverse-refused', severity: 2, windowSize: 'PT1H', evaluationFrequency: 'PT15M', event: OPERATION_EVENTS.batchOutcome, line: failed.message, columns: batchColumns, text: ['dataverseFailed=', 'arg_max(timestamp, *) by batch', 'where dataverseFailed > 0'] },
      { name: 'dead-letters', severity: 2, windowSize: 'PT15M', evaluationFrequency: 'PT5M', event: OPERATION_EVENTS.deadLetter, line: deadLetter.message, columns: { source: 'shopify', code: 'malformed-body', blob: 'deadletter/eventhubs/2026-11-30/3-1207.json' }, text: [] },
      { name: 'work-items-stuck', severity: 2, windowSize: 'PT1H', evaluationFrequency: 'PT15M', event: OPERATION_EVENTS.fetchOutcome, line: fetchStuck.message, columns: { failed: '2', waiting: '3' }, text: ['sum(failed)', 'where failed > 0 or waiting > 0'] },
      { name: 'orchestrations-failed', severity: 1, windowSize: 'PT15M', evaluationFrequency: 'PT5M', event: null, line: null, columns: {}, text: ['customDimensions.Category == "Host.Triggers.DurableTask"', 'where functionType == "Orchestrator" and state == "Failed" and isReplay != true', 'by functionName, instanceId'] },
      { name: 'erasures-incomplete', severity: 2, windowSize: 'PT1H', evaluationFrequency: 'PT15M', event: OPERATION_EVENTS.erasureOutcome, line: erasureGaveUp.message, columns: { erasure: 'erasure-0123456789abcdef0123456789abcdef', dryRun: 'false', stillRunning: '2' }, text: ['where dryRun == "false" and stillRunning > 0', 'by erasure'] },
      { name: 'server-errors', severity: 1, windowSize: 'PT15M', evaluationFrequency: 'PT5M', event: null, line: null, columns: {}, text: ['requests', 'toint(resultCode) >= 500'] },
    ];
    const rules = (s: Snapshot) => ofType(s, RULE);
    const ruleNamed = (s: Snapshot, env: string, name: string) => one(s, RULE, `pos-hub-${env}-${name}`);
    const queryOf = (r: ArmResource): string => r.properties.criteria.allOf[0].query;
    /** The query's `extract(@"regex", 1, message)` columns, run (as JavaScript regexes) on a log line. */
    const extracted = (query: string, line: string) =>
      Object.fromEntries([...query.matchAll(/(\w+) = (?:toint\()?extract\(@"(.+?)", 1, message\)/g)].map(([, column, re]) => [column, new RegExp(re as string).exec(line)?.[1]]));

    describe.each(['main', 'prod'] as const)('%s.bicepparam', (env) => {
      const name = env === 'main' ? 'dev' : 'prod';
      let s: Snapshot;
      beforeAll(() => {
        s = build.snapshots[env];
      });

      it('deploys the eight log alert rules on the Application Insights component, enabled, with no action group', () => {
        const appInsights = one(s, 'Microsoft.Insights/components');
        expect(rules(s).map((r) => r.name).sort()).toEqual(RULES.map((r) => `pos-hub-${name}-${r.name}`).sort());
        for (const spec of RULES) {
          const r = ruleNamed(s, name, spec.name);
          const p = r.properties;
          expect([spec.name, r.kind, r.location, p.scopes, p.enabled, p.severity, p.windowSize, p.evaluationFrequency, p.autoMitigate]).toEqual([
            spec.name, 'LogAlert', 'swedencentral', [appInsights.id], true, spec.severity, spec.windowSize, spec.evaluationFrequency, true,
          ]);
          expect([spec.name, p.criteria.allOf[0]]).toEqual([spec.name, expect.objectContaining({ timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0 })]);
          // What to do, pointing to docs/deploy.md (Alerts).
          expect([spec.name, p.description.length > 150, p.description]).toEqual([spec.name, true, expect.stringContaining('docs/deploy.md (Alerts)')]);
          expect([spec.name, p.actions]).toEqual([spec.name, { actionGroups: [] }]);
        }
        expect(ofType(s, GROUP)).toEqual([]);
      });

      it('queries the events the code writes, by their names in OPERATION_EVENTS and their fields', () => {
        for (const spec of RULES) {
          const query = queryOf(ruleNamed(s, name, spec.name));
          for (const text of spec.text) expect([spec.name, query]).toEqual([spec.name, expect.stringContaining(text)]);
          if (spec.event === null) continue;
          expect([spec.name, query]).toEqual([spec.name, expect.stringMatching(new RegExp(`^traces\\n\\| where message startswith "${spec.event.replace(/\./g, '\\.')} "\\n`))]);
          // The line the code writes starts with the event and gives every column the query reads.
          expect(spec.line.startsWith(`${spec.event} `)).toBe(true);
          expect([spec.name, extracted(query, spec.line as string)]).toEqual([spec.name, spec.columns]);
        }
        // A batch line does not pass as a dead letter, nor the other way round.
        expect(failed.message.startsWith(`${OPERATION_EVENTS.deadLetter} `)).toBe(false);
        expect(deadLetter.message.startsWith(`${OPERATION_EVENTS.batchOutcome} `)).toBe(false);
      });
    });

    it('reads the Durable Functions tracking events by the names the extension documents, never their payload or error', () => {
      // "Diagnostics in Durable Functions" (learn.microsoft.com/azure/azure-functions/durable/durable-functions-diagnostics):
      // category Host.Triggers.DurableTask in traces, fields prefixed prop__, state Failed, functionType
      // Orchestrator or Activity.
      const query = queryOf(ruleNamed(build.snapshots.main, 'dev', 'orchestrations-failed'));
      expect(query.startsWith('traces\n| where customDimensions.Category == "Host.Triggers.DurableTask"\n')).toBe(true);
      const read = [...query.matchAll(/(\w+) = (?:tobool\(tolower\()?tostring\(customDimensions\["(\w+)"\]\)/g)].map(([, column, field]) => [column, field]);
      expect(read).toEqual([
        ['functionName', 'prop__functionName'],
        ['functionType', 'prop__functionType'],
        ['instanceId', 'prop__instanceId'],
        ['state', 'prop__state'],
        ['isReplay', 'prop__isReplay'],
      ]);
      // No other field: prop__reason holds the error, prop__input/prop__output payloads when traced.
      expect(query.match(/prop__\w+/g)?.sort()).toEqual(read.map(([, field]) => field).sort());
      // Every orchestration (ingestBatch, eraseSubject), not a list that a new one would miss.
      expect(query).not.toMatch(/functionName\s*(==|in\b|has|startswith)/);
      // One row per failed instance, with the time the alert service bins by and nothing else.
      expect(query.trimEnd().split('\n').at(-1)).toBe('| summarize timestamp = max(timestamp) by functionName, instanceId');
    });

    describe('with alertEmails set and quarantineAlertPercent 0', () => {
      let s: Snapshot;
      beforeAll(() => {
        s = build.extraSnapshots.alerts!;
      });

      it('creates one action group that emails the address in the common alert schema, attached to every rule', () => {
        const group = one(s, GROUP);
        expect([group.name, group.location, group.properties.enabled]).toEqual(['ag-pos-hub-dev', 'global', true]);
        expect(group.properties.groupShortName).toMatch(/^.{1,12}$/);
        expect(group.properties.emailReceivers).toEqual([{ name: 'email-0', emailAddress: 'ops@example.org', useCommonAlertSchema: true }]);
        expect(rules(s).length).toBe(RULES.length);
        for (const r of rules(s)) expect([r.name, r.properties.actions]).toEqual([r.name, { actionGroups: [group.id] }]);
      });

      it('keeps the quarantine rule but disables it (an incremental deployment would leave a removed rule running)', () => {
        expect(rules(s).map((r) => [r.name, r.properties.enabled]).sort()).toEqual(
          RULES.map((spec) => [`pos-hub-dev-${spec.name}`, spec.name !== 'quarantine-share']).sort(),
        );
      });
    });
  });

  describe.each(['main', 'prod'] as const)('%s.bicepparam', (env) => {
    const name = env === 'main' ? 'dev' : 'prod';
    let s: Snapshot;
    let identityId: string;
    beforeAll(() => {
      s = build.snapshots[env];
      identityId = one(s, 'Microsoft.ManagedIdentity/userAssignedIdentities').id;
    });

    it('creates the resource group and names resources after the environment', () => {
      expect(one(s, 'Microsoft.Resources/resourceGroups').id).toBe(rg(name));
      expect(identityId).toBe(`${rg(name)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-pos-hub-${name}`);
    });

    it('locks down both storage accounts: HTTPS only, TLS 1.2, no public blobs, no shared keys', () => {
      const accounts = ofType(s, 'Microsoft.Storage/storageAccounts');
      expect(accounts.map((a) => a.name.replace(/[a-z0-9]{13}$/, ''))).toEqual([`poslake${name}`, `posrt${name}`]);
      for (const a of accounts) {
        const p = a.properties;
        expect([a.name, p.supportsHttpsTrafficOnly, p.minimumTlsVersion, p.allowBlobPublicAccess, p.allowSharedKeyAccess]).toEqual([a.name, true, 'TLS1_2', false, false]);
      }
      for (const c of ofType(s, 'Microsoft.Storage/storageAccounts/blobServices/containers')) expect([c.name, c.properties.publicAccess]).toEqual([c.name, 'None']);
    });

    it('makes the lake a hierarchical-namespace account with the lake container and lifecycle rules', () => {
      const lake = one(s, 'Microsoft.Storage/storageAccounts', 'poslake');
      expect(lake.properties.isHnsEnabled).toBe(true);
      expect(one(s, 'Microsoft.Storage/storageAccounts/blobServices/containers', 'poslake').name).toBe(`${lake.name}/default/lake`);
      const [coolDays, quarantineDays, rawDays] = env === 'main' ? [14, 30, 90] : [30, 180, 365];
      expect(lakeRules(s)).toEqual([
        {
          name: 'raw-lifecycle',
          enabled: true,
          type: 'Lifecycle',
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['lake/raw/', 'lake/deadletter/'] },
            actions: { baseBlob: { tierToCool: { daysAfterModificationGreaterThan: coolDays }, delete: { daysAfterModificationGreaterThan: rawDays } } },
          },
        },
        {
          name: 'quarantine-retention',
          enabled: true,
          type: 'Lifecycle',
          definition: { filters: { blobTypes: ['blockBlob'], prefixMatch: ['lake/quarantine/'] }, actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: quarantineDays } } } },
        },
      ]);
      const runtime = one(s, 'Microsoft.Storage/storageAccounts', 'posrt');
      expect(runtime.properties.isHnsEnabled).toBeUndefined();
      expect(one(s, 'Microsoft.Storage/storageAccounts/blobServices/containers', 'posrt').name).toBe(`${runtime.name}/default/app-package`);
    });

    it('deletes the orchestrations\' scratch blobs (ingest-work) after a week', () => {
      expect(one(s, 'Microsoft.Storage/storageAccounts/managementPolicies', 'posrt').properties.policy.rules).toEqual([
        {
          name: 'ingest-work-retention',
          enabled: true,
          type: 'Lifecycle',
          definition: { filters: { blobTypes: ['blockBlob'], prefixMatch: ['ingest-work/'] }, actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 7 } } } },
        },
      ]);
    });

    it('runs the app on Flex Consumption, Node 22, as the user-assigned identity', () => {
      expect(one(s, 'Microsoft.Web/serverfarms').sku).toEqual({ name: 'FC1', tier: 'FlexConsumption' });
      const site = one(s, 'Microsoft.Web/sites');
      const runtime = one(s, 'Microsoft.Storage/storageAccounts', 'posrt');
      expect(site.kind).toBe('functionapp,linux');
      expect(site.identity).toEqual({ type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } });
      expect(site.properties.keyVaultReferenceIdentity).toBe(identityId);
      expect(site.properties.functionAppConfig).toEqual({
        deployment: {
          storage: {
            type: 'blobContainer',
            value: `[format('{0}{1}', reference('${runtime.id}', '2024-01-01').primaryEndpoints.blob, 'app-package')]`,
            authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId },
          },
        },
        scaleAndConcurrency: env === 'main' ? { maximumInstanceCount: 40, instanceMemoryMB: 2048 } : { maximumInstanceCount: 200, instanceMemoryMB: 4096 },
        runtime: { name: 'node', version: '22' },
      });
    });

    it('hardens the app: HTTPS only, TLS 1.2, no remote debugging, no FTP or basic-auth publishing', () => {
      const site = one(s, 'Microsoft.Web/sites');
      expect(site.properties.httpsOnly).toBe(true);
      // Exactly these: Flex Consumption rejects ftpsState and other classic siteConfig properties
      // (ARM error 51021), so FTP(S) is closed by the publishing-credentials policy below.
      expect(site.properties.siteConfig).toEqual({ minTlsVersion: '1.2', scmMinTlsVersion: '1.2', remoteDebuggingEnabled: false });
      const policies = ofType(s, 'Microsoft.Web/sites/basicPublishingCredentialsPolicies');
      expect(policies.map((p) => [p.name.split('/')[1], p.properties])).toEqual([
        ['ftp', { allow: false }],
        ['scm', { allow: false }],
      ]);
    });

    it('sets every app setting the code reads, secrets as Key Vault references, nothing deprecated on Flex', () => {
      const settings = one(s, 'Microsoft.Web/sites/config').properties as Record<string, string>;
      const vault = one(s, 'Microsoft.KeyVault/vaults');
      const lake = one(s, 'Microsoft.Storage/storageAccounts', 'poslake');
      const runtime = one(s, 'Microsoft.Storage/storageAccounts', 'posrt');
      const namespace = one(s, 'Microsoft.EventHub/namespaces');
      const clientId = `[reference('${identityId}', '2023-01-31').clientId]`;
      expect(Object.keys(settings).sort()).toEqual(SETTINGS.filter((x) => !x.localOnly).map((x) => x.name).sort());
      for (const spec of SETTINGS.filter((x) => x.secret)) {
        expect([spec.name, settings[spec.name]]).toEqual([
          spec.name,
          `[format('@Microsoft.KeyVault(SecretUri={0}secrets/${spec.keyVaultSecret}/)', reference('${vault.id}', '2023-07-01').vaultUri)]`,
        ]);
        // The vault declares the secret (created when its parameter is given, else set out of band).
        // Exactly that name: `square-access-token` is a prefix of `square-access-tokens`.
        const declared = ofType(s, 'Microsoft.KeyVault/vaults/secrets').filter((r) => r.name === `${vault.name}/${spec.keyVaultSecret}`);
        expect(declared.map((r) => r.condition)).toEqual([expect.stringMatching(/^\[not\(empty\(parameters\('\w+'\)\)\)\]$/)]);
      }
      for (const spec of SETTINGS.filter((x) => !x.secret)) expect([spec.name, settings[spec.name]]).not.toEqual([spec.name, expect.stringContaining('KeyVault')]);
      expect(settings).toMatchObject({
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: clientId,
        AzureWebJobsStorage__blobServiceUri: `[reference('${runtime.id}', '2024-01-01').primaryEndpoints.blob]`,
        AzureWebJobsStorage__queueServiceUri: `[reference('${runtime.id}', '2024-01-01').primaryEndpoints.queue]`,
        AzureWebJobsStorage__tableServiceUri: `[reference('${runtime.id}', '2024-01-01').primaryEndpoints.table]`,
        POS_HUB_LAKE_BLOB_URL: `[reference('${lake.id}', '2024-01-01').primaryEndpoints.blob]`,
        POS_HUB_LAKE_CONTAINER: 'lake',
        EventHubConnection__fullyQualifiedNamespace: `[split(split(split(reference('${namespace.id}', '2024-01-01').serviceBusEndpoint, '//')[1], ':')[0], '/')[0]]`,
        EventHubConnection__credential: 'managedidentity',
        EventHubConnection__clientId: clientId,
        POS_HUB_EVENTHUB_NAME: 'pos-transactions',
        POS_HUB_EVENTHUB_CONSUMER_GROUP: 'pos-hub-ingest',
        POS_HUB_ALERTS_EVENTHUB_NAME: 'stock-alerts',
        AZURE_CLIENT_ID: clientId,
        ENTRA_AUDIENCE: env === 'main' ? 'api://pos-hub-dev' : 'api://pos-hub',
        // Admin tokens hold this app role (docs/deploy.md, Admin access); admin keys are their own secret.
        POS_HUB_ADMIN_ROLE: 'PosHub.Admin',
        POS_HUB_DEFAULT_CURRENCY: 'EUR',
        POS_HUB_DEFAULT_TIMEZONE: 'Europe/Stockholm',
        POS_HUB_MAX_BODY_BYTES: '4194304',
        // Unset POS_HUB_STORES at deployment: no store map, every store takes the defaults.
        POS_HUB_STORES: '{}',
        POS_HUB_FETCH_SCHEDULE: '0 */1 * * * *',
        // Empty: the vendors' production APIs (the defaults in shared/platform/settings.ts).
        SQUARE_API_BASE_URL: '',
        CLOVER_API_BASE_URL: '',
        POS_HUB_WORK_ITEM_RETENTION_DAYS: '7',
        POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS: '30',
        POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: '7',
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `[format('Authorization=AAD;ClientId={0}', ${clientId.slice(1, -1)})]`,
      });
      for (const deprecated of ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING']) {
        expect(settings[deprecated]).toBeUndefined();
      }
    });

    it('passes the store map from the parameters file to the app as POS_HUB_STORES (a redeploy keeps it)', () => {
      const settings = one(build.extraSnapshots.stores!, 'Microsoft.Web/sites/config').properties as Record<string, string>;
      expect(JSON.parse(settings.POS_HUB_STORES!)).toEqual({ S042: { timeZone: 'America/Los_Angeles', currency: 'USD' } });
    });

    it('protects Key Vault: RBAC, soft delete, purge protection', () => {
      const p = one(s, 'Microsoft.KeyVault/vaults').properties;
      expect([p.enableRbacAuthorization, p.enableSoftDelete, p.softDeleteRetentionInDays, p.enablePurgeProtection]).toEqual([true, true, 90, true]);
    });

    it('runs Event Hubs Standard with local auth off, TLS 1.2, both hubs and the app’s consumer group', () => {
      const namespace = one(s, 'Microsoft.EventHub/namespaces');
      expect(namespace.sku).toEqual({ name: 'Standard', tier: 'Standard', capacity: 1 });
      expect([namespace.properties.disableLocalAuth, namespace.properties.minimumTlsVersion]).toEqual([true, '1.2']);
      expect(ofType(s, 'Microsoft.EventHub/namespaces/eventhubs').map((h) => [h.name.split('/')[1], h.properties.partitionCount])).toEqual([
        ['pos-transactions', env === 'main' ? 2 : 16],
        ['stock-alerts', 2],
      ]);
      expect(ofType(s, 'Microsoft.EventHub/namespaces/eventhubs/consumergroups').map((g) => g.name.split('/').slice(1).join('/'))).toEqual([
        'pos-transactions/pos-hub-ingest',
        'stock-alerts/alert-subscribers',
      ]);
    });

    it('turns local auth off in Application Insights and Log Analytics', () => {
      expect(one(s, 'Microsoft.Insights/components').properties.DisableLocalAuth).toBe(true);
      expect(one(s, 'Microsoft.OperationalInsights/workspaces').properties.features).toEqual({ disableLocalAuth: true });
    });

    it('sends diagnostics to Log Analytics from every resource that supports them', () => {
      const workspace = one(s, 'Microsoft.OperationalInsights/workspaces');
      const diagnostics = new Map(ofType(s, 'Microsoft.Insights/diagnosticSettings').map((d) => [d.id, d]));
      const monitored = s.predictedResources.filter((r) => NEEDS_DIAGNOSTICS.includes(r.type));
      expect(monitored.length).toBe(env === 'main' ? 9 : 10);
      for (const r of monitored) {
        const setting = diagnostics.get(`${r.id}/providers/Microsoft.Insights/diagnosticSettings/to-log-analytics`);
        expect([r.id, setting?.properties.workspaceId]).toEqual([r.id, workspace.id]);
      }
      expect(diagnostics.size).toBe(monitored.length);
      for (const r of s.predictedResources) {
        expect([r.type, NEEDS_DIAGNOSTICS.includes(r.type) || r.type in NO_DIAGNOSTICS]).toEqual([r.type, true]);
      }
    });

    it('grants the identity exactly the roles the code needs, each on the narrowest scope', () => {
      const lake = one(s, 'Microsoft.Storage/storageAccounts', 'poslake');
      const runtime = one(s, 'Microsoft.Storage/storageAccounts', 'posrt');
      const namespace = one(s, 'Microsoft.EventHub/namespaces');
      const assignments = ofType(s, 'Microsoft.Authorization/roleAssignments').map((a) => {
        expect(a.properties.principalId).toBe(`[reference('${identityId}', '2023-01-31').principalId]`);
        expect(a.properties.principalType).toBe('ServicePrincipal');
        const scope = a.id.slice(0, a.id.indexOf('/providers/Microsoft.Authorization/roleAssignments/'));
        return [a.properties.roleDefinitionId.replace(`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/`, ''), scope];
      });
      expect(assignments.sort()).toEqual(
        [
          [role.monitoringMetricsPublisher, one(s, 'Microsoft.Insights/components').id],
          [role.blobDataContributor, `${lake.id}/blobServices/default/containers/lake`],
          [role.blobDataOwner, runtime.id],
          [role.queueDataContributor, runtime.id],
          [role.tableDataContributor, runtime.id],
          [role.eventHubsDataReceiver, `${namespace.id}/eventhubs/pos-transactions`],
          [role.eventHubsDataSender, `${namespace.id}/eventhubs/stock-alerts`],
          [role.keyVaultSecretsUser, one(s, 'Microsoft.KeyVault/vaults').id],
        ].sort(),
      );
      const granted = assignments.map(([id]) => id);
      for (const broad of [role.owner, role.contributor, role.storageAccountContributor]) expect(granted).not.toContain(broad);
    });

    if (env === 'main') {
      it('without private networking, deploys no network and leaves endpoints public', () => {
        expect(ofType(s, 'Microsoft.Network/virtualNetworks')).toEqual([]);
        expect(ofType(s, 'Microsoft.Network/privateEndpoints')).toEqual([]);
        expect(one(s, 'Microsoft.Web/sites').properties.virtualNetworkSubnetId).toBeNull();
        const open = s.predictedResources.filter((r) => r.properties?.publicNetworkAccess !== undefined);
        expect(open.map((r) => [r.type, r.properties.publicNetworkAccess])).toEqual([
          ['Microsoft.Storage/storageAccounts', 'Enabled'],
          ['Microsoft.Storage/storageAccounts', 'Enabled'],
          ['Microsoft.EventHub/namespaces', 'Enabled'],
          ['Microsoft.KeyVault/vaults', 'Enabled'],
          ['Microsoft.Web/sites', 'Enabled'],
        ]);
      });
    } else {
      it('with private networking, disables public network access on every data service', () => {
        const withSwitch = s.predictedResources.filter((r) => r.properties?.publicNetworkAccess !== undefined);
        expect(withSwitch.map((r) => [r.type, r.properties.publicNetworkAccess])).toEqual([
          ['Microsoft.Storage/storageAccounts', 'Disabled'],
          ['Microsoft.Storage/storageAccounts', 'Disabled'],
          ['Microsoft.EventHub/namespaces', 'Disabled'],
          ['Microsoft.KeyVault/vaults', 'Disabled'],
          // Inbound stays public: vendors' webhooks come from the internet (see functionApp.bicep).
          ['Microsoft.Web/sites', 'Enabled'],
        ]);
        for (const r of [...ofType(s, 'Microsoft.Storage/storageAccounts'), one(s, 'Microsoft.KeyVault/vaults')]) {
          expect([r.name, r.properties.networkAcls.defaultAction]).toEqual([r.name, 'Deny']);
        }
      });

      it('with private networking, integrates the app in the VNet and gives every data service a private endpoint with DNS', () => {
        const vnet = one(s, 'Microsoft.Network/virtualNetworks');
        const subnets = vnet.properties.subnets as { name: string; properties: { delegations?: { properties: { serviceName: string } }[] } }[];
        expect(subnets.map((x) => [x.name, x.properties.delegations?.[0]?.properties.serviceName])).toEqual([
          ['functions', 'Microsoft.App/environments'],
          ['endpoints', undefined],
        ]);
        expect(one(s, 'Microsoft.Web/sites').properties.virtualNetworkSubnetId).toContain(`${vnet.id}'`);
        const lake = one(s, 'Microsoft.Storage/storageAccounts', 'poslake').id;
        const runtime = one(s, 'Microsoft.Storage/storageAccounts', 'posrt').id;
        const endpoints = ofType(s, 'Microsoft.Network/privateEndpoints').map((pe) => {
          const link = pe.properties.privateLinkServiceConnections[0].properties;
          return [link.privateLinkServiceId, link.groupIds.join()];
        });
        expect(endpoints).toEqual([
          [lake, 'blob'],
          [lake, 'dfs'],
          [runtime, 'blob'],
          [runtime, 'queue'],
          [runtime, 'table'],
          [one(s, 'Microsoft.EventHub/namespaces').id, 'namespace'],
          [one(s, 'Microsoft.KeyVault/vaults').id, 'vault'],
        ]);
        const zoneFor: Record<string, string> = {
          blob: 'privatelink.blob.',
          dfs: 'privatelink.dfs.',
          queue: 'privatelink.queue.',
          table: 'privatelink.table.',
          namespace: 'privatelink.servicebus.windows.net',
          vault: 'privatelink.vaultcore.azure.net',
        };
        const groups = ofType(s, 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups');
        expect(groups.length).toBe(7);
        for (const [i, [, groupId]] of endpoints.entries()) {
          const config = groups[i]?.properties.privateDnsZoneConfigs[0];
          expect([groupId, config.properties.privateDnsZoneId]).toEqual([groupId, expect.stringContaining(zoneFor[groupId as string] as string)]);
        }
        expect(ofType(s, 'Microsoft.Network/privateDnsZones/virtualNetworkLinks').length).toBe(6);
      });
    }
  });
});

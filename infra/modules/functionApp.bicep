// The function app on the Flex Consumption plan (FC1), running as the user-assigned identity, with
// every connection identity-based and every secret a Key Vault reference.
//
// Flex Consumption takes the runtime from functionAppConfig and rejects (ARM error 51021) several
// classic siteConfig properties, ftpsState among them; FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION are deprecated there. FTP is closed by the publishing-credentials
// policy below instead.
param planName string
param appName string
param location string
param tags object
param identityId string
param identityClientId string
param maximumInstanceCount int
@allowed([512, 2048, 4096])
param instanceMemoryMB int
@description('Subnet delegated to Microsoft.App/environments for VNet integration; empty for none.')
param subnetId string
param workspaceId string
param appInsightsName string
param runtimeBlobEndpoint string
param runtimeQueueEndpoint string
param runtimeTableEndpoint string
param deploymentContainerUrl string
param lakeBlobEndpoint string
param lakeContainerName string
param eventHubsNamespace string
param transactionsHubName string
param alertsHubName string
param ingestConsumerGroupName string
param keyVaultUri string
param dataverseUrl string
param entraAudience string
@description('App role a Bearer token must hold for the admin endpoints (replay, erase, dead-letter re-drive).')
param adminRole string
param defaultCurrency string
param defaultTimeZone string
@description('Time zone, currency and country per store id (POS_HUB_STORES), e.g. {"S042": {"timeZone": "America/Los_Angeles"}}; empty: every store uses the defaults.')
param stores object = {}
param maxBodyBytes int

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    // Inbound stays public even with private networking: vendors' webhooks (Shopify, Square, ...)
    // arrive from the internet, and every route authenticates its caller.
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      remoteDebuggingEnabled: false
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: '22' }
    }
  }
}

// One entry per setting in shared/platform/settings.ts; test/infra checks the two agree.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: runtimeBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: runtimeQueueEndpoint
    AzureWebJobsStorage__tableServiceUri: runtimeTableEndpoint
    POS_HUB_LAKE_BLOB_URL: lakeBlobEndpoint
    POS_HUB_LAKE_CONTAINER: lakeContainerName
    EventHubConnection__fullyQualifiedNamespace: eventHubsNamespace
    EventHubConnection__credential: 'managedidentity'
    EventHubConnection__clientId: identityClientId
    POS_HUB_EVENTHUB_NAME: transactionsHubName
    POS_HUB_EVENTHUB_CONSUMER_GROUP: ingestConsumerGroupName
    POS_HUB_ALERTS_EVENTHUB_NAME: alertsHubName
    POS_HUB_PSEUDONYM_KEY: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/pseudonym-key/)'
    SHOPIFY_WEBHOOK_SECRETS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/shopify-webhook-secrets/)'
    SQUARE_WEBHOOK_SIGNATURE_KEYS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/square-webhook-signature-keys/)'
    // Square signs the notification URL together with the body, so the app must know its own URL.
    SQUARE_WEBHOOK_URL: 'https://${site.properties.defaultHostName}/api/v1/webhooks/square'
    CLOVER_AUTH_CODES: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/clover-auth-codes/)'
    LIGHTSPEED_WEBHOOK_SECRETS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/lightspeed-webhook-secrets/)'
    // The work-item fetcher: every minute; it reads notified orders with these tokens from the vendors'
    // production APIs (empty base URLs: the defaults, https://connect.squareup.com, https://api.clover.com).
    POS_HUB_FETCH_SCHEDULE: '0 */1 * * * *'
    SQUARE_ACCESS_TOKEN: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/square-access-token/)'
    SQUARE_API_BASE_URL: ''
    CLOVER_API_TOKENS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/clover-api-tokens/)'
    CLOVER_API_BASE_URL: ''
    // Tokens of further Square sellers (merchant id to token); SQUARE_ACCESS_TOKEN serves the rest.
    SQUARE_ACCESS_TOKENS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/square-access-tokens/)'
    // Settled work items are deleted this many days after they settled; failed ones are kept longer
    // for operators (docs/webhooks.md). The defaults of shared/platform/settings.ts.
    POS_HUB_WORK_ITEM_RETENTION_DAYS: '7'
    POS_HUB_FAILED_WORK_ITEM_RETENTION_DAYS: '30'
    POS_HUB_WEBHOOK_DELIVERY_RETENTION_DAYS: '7'
    // Finished orchestrations' histories are purged daily after this many days (docs/deploy.md).
    POS_HUB_HISTORY_RETENTION_DAYS: '30'
    DATAVERSE_URL: dataverseUrl
    AZURE_CLIENT_ID: identityClientId
    ENTRA_TENANT_ID: tenant().tenantId
    ENTRA_AUDIENCE: entraAudience
    // Empty: the tenant's own issuers and signing keys (from its OpenID metadata) are used.
    ENTRA_ISSUER: ''
    ENTRA_JWKS_URL: ''
    POS_HUB_INGEST_KEYS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/ingest-keys/)'
    // Admin credentials are separate from the ingest ones on every POS (docs/deploy.md, Admin access).
    POS_HUB_ADMIN_KEYS: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/admin-keys/)'
    POS_HUB_ADMIN_ROLE: adminRole
    POS_HUB_DEFAULT_CURRENCY: defaultCurrency
    POS_HUB_DEFAULT_TIMEZONE: defaultTimeZone
    // Deployed with the app: a value set only with `az functionapp config appsettings set` lasts until the next deployment.
    POS_HUB_STORES: string(stores)
    POS_HUB_MAX_BODY_BYTES: string(maxBodyBytes)
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // Local auth is off on Application Insights: telemetry is sent with the identity's token.
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
  }
}

resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: site
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = site.id
output name string = site.name
output defaultHostName string = site.properties.defaultHostName

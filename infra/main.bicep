// POS Hub: the whole hub in one subscription-scope deployment.
//   az deployment sub create --location <region> -f infra/main.bicep -p infra/main.bicepparam
// Creates the resource group and, inside it, the modules under modules/. docs/deploy.md walks
// through the rest (secrets, code package, Dataverse access).
targetScope = 'subscription'

@description('Short environment name (dev, test, prod), part of every resource name.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region for every resource; must offer the Flex Consumption plan.')
param location string

@description('Resource group to create or update.')
param resourceGroupName string = 'rg-pos-hub-${environmentName}'

param tags object = {}

@description('One switch for private networking: VNet integration, private endpoints and DNS for every data service, whose public network access is then disabled.')
param privateNetworking bool = false

param vnetAddressPrefix string = '10.20.0.0/16'
param functionsSubnetPrefix string = '10.20.0.0/24'
param endpointsSubnetPrefix string = '10.20.1.0/24'

@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@minValue(1)
@maxValue(32)
param transactionsPartitionCount int = 4

@minValue(1)
@maxValue(7)
param eventHubsRetentionInDays int = 7

@description('Days after which raw payloads in the lake move to the cool tier.')
@minValue(1)
param rawToCoolAfterDays int = 30

@description('Days quarantined records are kept before deletion.')
@minValue(1)
param quarantineRetentionDays int = 90

@description('Days raw payloads are kept before deletion; 0 keeps them for good. Never fewer than quarantineRetentionDays: replay reads the raw payload of a quarantined record.')
@minValue(0)
param rawRetentionDays int = 0

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Email addresses notified when an alert rule fires (modules/alerts.bicep); empty: no action group, alerts show only in the portal.')
param alertEmails string[] = []

@description('Turns every alert rule on or off.')
param alertsEnabled bool = true

@description('Alert when more than this percentage of the last hour\'s transactions went to quarantine; 0 disables that rule.')
@minValue(0)
@maxValue(100)
param quarantineAlertPercent int = 5

@description('Time zone, currency and country per store id (POS_HUB_STORES), e.g. {"S042": {"timeZone": "America/Los_Angeles"}}; empty: every store uses defaultTimeZone and defaultCurrency. The parameters files read it from POS_HUB_STORES at deployment.')
param stores object = {}

@description('Dataverse environment URL, e.g. https://contoso.crm.dynamics.com. The app authenticates to it with its managed identity.')
param dataverseUrl string

@description('Audience (application ID URI) of the app registration that Bearer tokens for the ingest API are issued to.')
param entraAudience string

@description('App role (its value) on the app registration of entraAudience that a Bearer token must hold for the admin endpoints.')
param adminRole string = 'PosHub.Admin'

@description('ISO 4217 currency used when a payload states none.')
param defaultCurrency string = 'USD'

@description('IANA time zone used when neither the payload nor the store master gives one.')
param defaultTimeZone string = 'UTC'

@description('Largest request body the ingest API accepts, in bytes.')
param maxBodyBytes int = 4194304

// Secrets: leave one empty to set it out of band in Key Vault (see modules/keyVault.bicep).
@secure()
@description('Key of the HMAC that pseudonymizes personal data in the lake. Never change it casually: references computed with the old key stop matching.')
param pseudonymKey string
@secure()
@description('Shopify app secrets, comma-separated (two during a rotation).')
param shopifyWebhookSecrets string
@secure()
@description('Square webhook signature keys, comma-separated (two during a rotation).')
param squareWebhookSignatureKeys string
@secure()
@description('Clover webhook auth codes, comma-separated (two during a rotation).')
param cloverAuthCodes string
@secure()
@description('Lightspeed webhook secrets, comma-separated (two during a rotation).')
param lightspeedWebhookSecrets string
@secure()
@description('Square access token the work-item fetcher reads orders with; empty: set out of band.')
param squareAccessToken string
@secure()
@description('Clover API tokens of the work-item fetcher, a JSON object of merchant id to token; empty: set out of band.')
param cloverApiTokens string
@secure()
@description('Square access tokens of the work-item fetcher per seller, a JSON object of merchant id to token; empty: set out of band.')
param squareAccessTokens string
@secure()
@description('Keys the ingest API accepts as x-functions-key, comma-separated (two during a rotation); empty: set out of band.')
param ingestKeys string
@secure()
@description('Keys the admin endpoints (replay, erase, dead-letter re-drive) accept as x-functions-key, comma-separated (two during a rotation), never an ingest key; empty: set out of band.')
param adminKeys string

var lakeContainerName = 'lake'
var transactionsHubName = 'pos-transactions'
var alertsHubName = 'stock-alerts'
// Globally unique names (storage, vault, namespace, app) get a suffix stable per resource group.
var suffix = uniqueString(subscription().id, resourceGroupName)
var baseName = 'pos-hub-${environmentName}'
var allTags = union(tags, { application: 'pos-hub', environment: environmentName })
var identityName = 'id-${baseName}'
var appInsightsName = 'appi-${baseName}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: resourceGroupName
  location: location
  tags: allTags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: { name: identityName, location: location, tags: allTags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${baseName}'
    appInsightsName: appInsightsName
    location: location
    tags: allTags
    retentionInDays: logRetentionInDays
    identityName: identityName
  }
  dependsOn: [identity]
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  name: 'alerts'
  params: {
    baseName: baseName
    location: location
    tags: allTags
    appInsightsId: monitoring.outputs.appInsightsId
    alertEmails: alertEmails
    alertsEnabled: alertsEnabled
    quarantineAlertPercent: quarantineAlertPercent
  }
}

module lake 'modules/lakeStorage.bicep' = {
  scope: rg
  name: 'lake'
  params: {
    name: take('poslake${environmentName}${suffix}', 24)
    location: location
    tags: allTags
    containerName: lakeContainerName
    rawToCoolAfterDays: rawToCoolAfterDays
    quarantineRetentionDays: quarantineRetentionDays
    rawRetentionDays: rawRetentionDays
    privateNetworking: privateNetworking
    workspaceId: monitoring.outputs.workspaceId
    identityName: identityName
  }
  dependsOn: [identity]
}

module runtimeStorage 'modules/runtimeStorage.bicep' = {
  scope: rg
  name: 'runtime-storage'
  params: {
    name: take('posrt${environmentName}${suffix}', 24)
    location: location
    tags: allTags
    deploymentContainerName: 'app-package'
    privateNetworking: privateNetworking
    workspaceId: monitoring.outputs.workspaceId
    identityName: identityName
  }
  dependsOn: [identity]
}

module eventHubs 'modules/eventHubs.bicep' = {
  scope: rg
  name: 'event-hubs'
  params: {
    namespaceName: 'evhns-${baseName}-${suffix}'
    location: location
    tags: allTags
    transactionsHubName: transactionsHubName
    alertsHubName: alertsHubName
    transactionsPartitionCount: transactionsPartitionCount
    ingestConsumerGroupName: 'pos-hub-ingest'
    alertsConsumerGroupName: 'alert-subscribers'
    messageRetentionInDays: eventHubsRetentionInDays
    privateNetworking: privateNetworking
    workspaceId: monitoring.outputs.workspaceId
    identityName: identityName
  }
  dependsOn: [identity]
}

module keyVault 'modules/keyVault.bicep' = {
  scope: rg
  name: 'key-vault'
  params: {
    name: take('kv-poshub-${suffix}', 24)
    location: location
    tags: allTags
    privateNetworking: privateNetworking
    workspaceId: monitoring.outputs.workspaceId
    identityName: identityName
    pseudonymKey: pseudonymKey
    shopifyWebhookSecrets: shopifyWebhookSecrets
    squareWebhookSignatureKeys: squareWebhookSignatureKeys
    cloverAuthCodes: cloverAuthCodes
    lightspeedWebhookSecrets: lightspeedWebhookSecrets
    squareAccessToken: squareAccessToken
    cloverApiTokens: cloverApiTokens
    squareAccessTokens: squareAccessTokens
    ingestKeys: ingestKeys
    adminKeys: adminKeys
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  scope: rg
  name: 'network'
  params: {
    vnetName: 'vnet-${baseName}'
    location: location
    tags: allTags
    addressPrefix: vnetAddressPrefix
    functionsSubnetPrefix: functionsSubnetPrefix
    endpointsSubnetPrefix: endpointsSubnetPrefix
    workspaceId: monitoring.outputs.workspaceId
    lakeName: lake.outputs.name
    runtimeStorageName: runtimeStorage.outputs.name
    eventHubsNamespaceName: eventHubs.outputs.name
    keyVaultName: keyVault.outputs.name
  }
}

module functionApp 'modules/functionApp.bicep' = {
  scope: rg
  name: 'function-app'
  params: {
    planName: 'plan-${baseName}'
    appName: 'func-${baseName}-${suffix}'
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    subnetId: privateNetworking ? network!.outputs.functionsSubnetId : ''
    workspaceId: monitoring.outputs.workspaceId
    appInsightsName: appInsightsName
    runtimeBlobEndpoint: runtimeStorage.outputs.blobEndpoint
    runtimeQueueEndpoint: runtimeStorage.outputs.queueEndpoint
    runtimeTableEndpoint: runtimeStorage.outputs.tableEndpoint
    deploymentContainerUrl: runtimeStorage.outputs.deploymentContainerUrl
    lakeBlobEndpoint: lake.outputs.blobEndpoint
    lakeContainerName: lakeContainerName
    eventHubsNamespace: eventHubs.outputs.fullyQualifiedNamespace
    transactionsHubName: eventHubs.outputs.transactionsHubName
    alertsHubName: eventHubs.outputs.alertsHubName
    ingestConsumerGroupName: eventHubs.outputs.ingestConsumerGroupName
    keyVaultUri: keyVault.outputs.uri
    dataverseUrl: dataverseUrl
    entraAudience: entraAudience
    adminRole: adminRole
    defaultCurrency: defaultCurrency
    defaultTimeZone: defaultTimeZone
    stores: stores
    maxBodyBytes: maxBodyBytes
  }
}

// What a POS integrator and an operator need; no keys or connection strings.
var baseUrl = 'https://${functionApp.outputs.defaultHostName}'
output resourceGroupName string = rg.name
output functionAppName string = functionApp.outputs.name
output functionAppBaseUrl string = baseUrl
output ingestUrlPattern string = '${baseUrl}/api/v1/ingest/{source}'
output webhookUrlPattern string = '${baseUrl}/api/v1/webhooks/{vendor}'
output batchStatusUrlPattern string = '${baseUrl}/api/v1/batches/{batchId}'
output eventHubsNamespaceFqdn string = eventHubs.outputs.fullyQualifiedNamespace
output eventHubName string = eventHubs.outputs.transactionsHubName
output alertsEventHubName string = eventHubs.outputs.alertsHubName
output lakeBlobEndpoint string = lake.outputs.blobEndpoint
output lakeDfsEndpoint string = lake.outputs.dfsEndpoint
output lakeContainer string = lakeContainerName
output keyVaultName string = keyVault.outputs.name
output managedIdentityClientId string = identity.outputs.clientId

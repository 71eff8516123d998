// The data lake: a hierarchical-namespace account with one container, `lake`, whose zones (raw/,
// curated/, quarantine/) are name prefixes. The hub writes it through the Blob API with its identity.
param name string
param location string
param tags object
param containerName string
@description('Days after which raw payloads move to the cool tier (kept for replay, rarely read).')
param rawToCoolAfterDays int
@description('Days a quarantined record is kept before it is deleted.')
param quarantineRetentionDays int
@description('Days a raw payload is kept before it is deleted; 0 keeps it.')
param rawRetentionDays int
param privateNetworking bool
param workspaceId string
@description('Name of the function app\'s user-assigned identity, granted Storage Blob Data Contributor.')
param identityName string

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// By name, not by principal id: role assignment names must be known before deployment (what-if).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource lake 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    isHnsEnabled: true
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      // Without private networking the Flex Consumption instances have no fixed addresses to allow,
      // so access rests on Entra ID alone (shared keys are off).
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: lake
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: containerName
  properties: { publicAccess: 'None' }
}

// Raw payloads (and dead letters, the events that could not be accepted) are where personal data sits
// in clear (names, emails, phones: pseudonymized only downstream; card data is masked before anything
// is written), so GDPR's storage limitation asks for an end. Replay re-reads the raw payload of a quarantined record, so raw never goes before
// quarantine does.
var rawActions = union(
  { tierToCool: { daysAfterModificationGreaterThan: rawToCoolAfterDays } },
  rawRetentionDays > 0 ? { delete: { daysAfterModificationGreaterThan: max(rawRetentionDays, quarantineRetentionDays) } } : {}
)

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2024-01-01' = {
  parent: lake
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'raw-lifecycle'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['${containerName}/raw/', '${containerName}/deadletter/'] }
            actions: { baseBlob: rawActions }
          }
        }
        {
          name: 'quarantine-retention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['${containerName}/quarantine/'] }
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: quarantineRetentionDays } } }
          }
        }
      ]
    }
  }
  dependsOn: [container]
}

resource accountDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: lake
  properties: {
    workspaceId: workspaceId
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

resource blobDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: blobService
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'Transaction', enabled: true }]
  }
}

// Scoped to the container, not the account: the hub needs nothing else in it.
resource blobContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(container.id, identity.id, storageBlobDataContributor)
  scope: container
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = lake.id
output name string = lake.name
output blobEndpoint string = lake.properties.primaryEndpoints.blob
output dfsEndpoint string = lake.properties.primaryEndpoints.dfs

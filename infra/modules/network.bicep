// Private networking (deployed only when main's `privateNetworking` is on): a VNet whose `functions`
// subnet carries the function app's outbound traffic (VNet integration) and whose `endpoints` subnet
// holds a private endpoint for every data service, each registered in its private DNS zone so the
// usual host names resolve to private addresses inside the VNet.
param vnetName string
param location string
param tags object
param addressPrefix string
param functionsSubnetPrefix string
param endpointsSubnetPrefix string
param workspaceId string
param lakeName string
param runtimeStorageName string
param eventHubsNamespaceName string
param keyVaultName string

var zoneNames = {
  blob: 'privatelink.blob.${environment().suffixes.storage}'
  queue: 'privatelink.queue.${environment().suffixes.storage}'
  table: 'privatelink.table.${environment().suffixes.storage}'
  dfs: 'privatelink.dfs.${environment().suffixes.storage}'
  namespace: 'privatelink.servicebus.windows.net'
  vault: 'privatelink.vaultcore.azure.net'
}

// The runtime account needs blob, queue and table (host, Durable Functions); the lake blob, and dfs
// for analytics tools that use the Data Lake API.
var storage = 'Microsoft.Storage/storageAccounts'
var endpoints = [
  { name: 'lake-blob', type: storage, target: lakeName, groupId: 'blob' }
  { name: 'lake-dfs', type: storage, target: lakeName, groupId: 'dfs' }
  { name: 'runtime-blob', type: storage, target: runtimeStorageName, groupId: 'blob' }
  { name: 'runtime-queue', type: storage, target: runtimeStorageName, groupId: 'queue' }
  { name: 'runtime-table', type: storage, target: runtimeStorageName, groupId: 'table' }
  { name: 'eventhubs', type: 'Microsoft.EventHub/namespaces', target: eventHubsNamespaceName, groupId: 'namespace' }
  { name: 'keyvault', type: 'Microsoft.KeyVault/vaults', target: keyVaultName, groupId: 'vault' }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'functions'
        properties: {
          addressPrefix: functionsSubnetPrefix
          // The delegation Flex Consumption requires for VNet integration.
          delegations: [{ name: 'flex', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'endpoints'
        properties: {
          addressPrefix: endpointsSubnetPrefix
          privateEndpointNetworkPolicies: 'Enabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in items(zoneNames): {
    name: zone.value
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in items(zoneNames): {
    parent: zones[i]
    name: vnetName
    location: 'global'
    tags: tags
    properties: {
      virtualNetwork: { id: vnet.id }
      registrationEnabled: false
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.name}'
    location: location
    tags: tags
    properties: {
      subnet: { id: vnet.properties.subnets[1].id }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: { privateLinkServiceId: resourceId(endpoint.type, endpoint.target), groupIds: [endpoint.groupId] }
        }
      ]
    }
  }
]

resource zoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        {
          name: endpoint.groupId
          properties: { privateDnsZoneId: resourceId('Microsoft.Network/privateDnsZones', zoneNames[endpoint.groupId]) }
        }
      ]
    }
    dependsOn: [zones]
  }
]

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vnet
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output functionsSubnetId string = vnet.properties.subnets[0].id

// Event Hubs: `pos-transactions` carries POS streams into the hub, `stock-alerts` carries the hub's
// stockout alerts out. Entra ID only (local SAS auth off).
param namespaceName string
param location string
param tags object
param transactionsHubName string
param alertsHubName string
@minValue(1)
@maxValue(32)
param transactionsPartitionCount int
@description('Consumer group the function app reads pos-transactions with.')
param ingestConsumerGroupName string
@description('Consumer group reserved for downstream readers of stock-alerts.')
param alertsConsumerGroupName string
param messageRetentionInDays int
param privateNetworking bool
param workspaceId string
@description('Name of the function app\'s user-assigned identity: receiver on transactions, sender on alerts.')
param identityName string

var eventHubsDataReceiver = 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde'
var eventHubsDataSender = '2b629674-e913-4c01-ae53-ef4638d8f975'

// By name, not by principal id: role assignment names must be known before deployment (what-if).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource namespace 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    isAutoInflateEnabled: false
  }
}

resource transactionsHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: transactionsHubName
  properties: {
    partitionCount: transactionsPartitionCount
    messageRetentionInDays: messageRetentionInDays
  }
}

resource alertsHub 'Microsoft.EventHub/namespaces/eventhubs@2024-01-01' = {
  parent: namespace
  name: alertsHubName
  properties: {
    partitionCount: 2
    messageRetentionInDays: messageRetentionInDays
  }
}

// A group of its own, so that other readers of the stream never steal the app's checkpoints.
resource ingestConsumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: transactionsHub
  name: ingestConsumerGroupName
}

resource alertsConsumerGroup 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@2024-01-01' = {
  parent: alertsHub
  name: alertsConsumerGroupName
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

// Each role on one hub, not the namespace: the app reads transactions and writes alerts, nothing else.
resource receiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(transactionsHub.id, identity.id, eventHubsDataReceiver)
  scope: transactionsHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', eventHubsDataReceiver)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(alertsHub.id, identity.id, eventHubsDataSender)
  scope: alertsHub
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', eventHubsDataSender)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = namespace.id
output name string = namespace.name
// serviceBusEndpoint is `https://<name>.servicebus.windows.net:443/`; the trigger wants the bare host.
// Derived rather than written out, so sovereign clouds get their own suffix.
output fullyQualifiedNamespace string = split(split(split(namespace.properties.serviceBusEndpoint, '//')[1], ':')[0], '/')[0]
output transactionsHubName string = transactionsHub.name
output alertsHubName string = alertsHub.name
output ingestConsumerGroupName string = ingestConsumerGroup.name

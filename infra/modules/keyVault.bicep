// Key Vault for the hub's secrets: the pseudonymization key, the vendors' webhook secrets and API tokens. The app
// reads them through Key Vault references resolved with its user-assigned identity.
//
// A secret is written here only when its parameter is non-empty. Leave a parameter empty to manage
// that secret out of band (`az keyvault secret set`, see docs/deploy.md): a later deployment with
// the parameter empty leaves the stored value alone, so redeploying never wipes a rotated secret.
param name string
param location string
param tags object
param privateNetworking bool
param workspaceId string
@description('Name of the function app\'s user-assigned identity, granted Key Vault Secrets User.')
param identityName string
@secure()
param pseudonymKey string
@secure()
param shopifyWebhookSecrets string
@secure()
param squareWebhookSignatureKeys string
@secure()
param cloverAuthCodes string
@secure()
param lightspeedWebhookSecrets string
@secure()
@description('Square access token of the work-item fetcher; empty: managed out of band.')
param squareAccessToken string
@secure()
@description('Clover API tokens of the work-item fetcher (JSON: merchant id to token); empty: managed out of band.')
param cloverApiTokens string
@secure()
@description('Square access tokens of the work-item fetcher per seller (JSON: merchant id to token); empty: managed out of band.')
param squareAccessTokens string
@secure()
@description('Keys the ingest API accepts (x-functions-key), comma-separated; empty: managed out of band.')
param ingestKeys string
@secure()
@description('Keys the admin endpoints accept (x-functions-key), comma-separated, never an ingest key; empty: managed out of band.')
param adminKeys string

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

// By name, not by principal id: role assignment names must be known before deployment (what-if).
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      // Without private networking the app reaches the vault over public endpoints, so access rests
      // on RBAC alone.
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource pseudonymKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(pseudonymKey)) {
  parent: vault
  name: 'pseudonym-key'
  properties: { value: pseudonymKey, contentType: 'text/plain' }
}

resource shopifySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(shopifyWebhookSecrets)) {
  parent: vault
  name: 'shopify-webhook-secrets'
  properties: { value: shopifyWebhookSecrets, contentType: 'text/plain; comma-separated' }
}

resource squareSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(squareWebhookSignatureKeys)) {
  parent: vault
  name: 'square-webhook-signature-keys'
  properties: { value: squareWebhookSignatureKeys, contentType: 'text/plain; comma-separated' }
}

resource cloverSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(cloverAuthCodes)) {
  parent: vault
  name: 'clover-auth-codes'
  properties: { value: cloverAuthCodes, contentType: 'text/plain; comma-separated' }
}

resource lightspeedSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(lightspeedWebhookSecrets)) {
  parent: vault
  name: 'lightspeed-webhook-secrets'
  properties: { value: lightspeedWebhookSecrets, contentType: 'text/plain; comma-separated' }
}

resource squareAccessTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(squareAccessToken)) {
  parent: vault
  name: 'square-access-token'
  properties: { value: squareAccessToken, contentType: 'text/plain' }
}

resource cloverApiTokensSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(cloverApiTokens)) {
  parent: vault
  name: 'clover-api-tokens'
  properties: { value: cloverApiTokens, contentType: 'application/json' }
}

resource squareAccessTokensSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(squareAccessTokens)) {
  parent: vault
  name: 'square-access-tokens'
  properties: { value: squareAccessTokens, contentType: 'application/json' }
}

resource ingestKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(ingestKeys)) {
  parent: vault
  name: 'ingest-keys'
  properties: { value: ingestKeys, contentType: 'text/plain; comma-separated' }
}

resource adminKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(adminKeys)) {
  parent: vault
  name: 'admin-keys'
  properties: { value: adminKeys, contentType: 'text/plain; comma-separated' }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output id string = vault.id
output name string = vault.name
output uri string = vault.properties.vaultUri

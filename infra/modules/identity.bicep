// The one user-assigned identity the function app runs as. User-assigned rather than system-assigned
// so that role assignments and Key Vault access exist before the app is created and survive its
// re-creation.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId

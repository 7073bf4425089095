// The user-assigned managed identity the Function App runs as: storage, Key Vault references and telemetry.

@description('The name of the identity.')
param name string

@description('The Azure region.')
param location string

@description('Tags of the resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('The resource id of the identity.')
output id string = identity.id

@description('The client (application) id of the identity.')
output clientId string = identity.properties.clientId

@description('The object id of the identity\'s service principal, for role assignments.')
output principalId string = identity.properties.principalId

// The Key Vault of the hospitals' EHR credentials (client secrets, private keys, tokens) and the de-identification
// keys of Bulk Data export. Access is by Azure RBAC only; the app's identity may read secrets, nothing else. The app
// reads them as Key Vault references.

@description('The name of the vault (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('The Azure region.')
param location string

@description('Tags of the resource.')
param tags object

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Whether purge protection is on (a deleted vault or secret cannot be purged before its retention ends). It cannot be turned off again.')
param enablePurgeProtection bool

@description('The object id of the app\'s identity, allowed to read secrets.')
param principalId string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // Purge protection is either on or absent: the service refuses false once it was on.
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

// Key Vault Secrets User (built-in role): read secret values, which Key Vault references need.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      '4633458b-17de-408a-b874-0445c86b69e6'
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The name of the vault.')
output name string = vault.name

@description('The URI of the vault.')
output uri string = vault.properties.vaultUri

// The Function App on the Flex Consumption plan: the FHIR HTTP surface, the queue-driven pipeline stages (Bulk Data
// export among them) and the timers. It runs as the user-assigned identity, which it also uses for
// AzureWebJobsStorage, the deployment package, the store, Application Insights ingestion and Key Vault references.
// No setting holds a secret.

import { hospitalRoute, hospitalAppSettings, keyVaultReference } from 'publishing.bicep'
import { organizationAccess, clientAccess, securityAppSettings } from 'security.bicep'

@description('The name of the Flex Consumption plan.')
param planName string

@description('The name of the Function App.')
param name string

@description('The Azure region.')
param location string

@description('Tags of the resources.')
param tags object

@description('The resource id of the user-assigned identity the app runs as.')
param identityId string

@description('The client id of that identity.')
param identityClientId string

@description('The name of the storage account.')
param storageAccountName string

@description('The Blob service endpoint of the storage account.')
param blobEndpoint string

@description('The Table service endpoint of the storage account.')
param tableEndpoint string

@description('The Queue service endpoint of the storage account.')
param queueEndpoint string

@description('The blob container of the store (Storage:Azure:ContainerName).')
param resourcesContainerName string

@description('The blob container of Bulk Data export files (Storage:Azure:ExportContainerName).')
param exportsContainerName string

@description('The URL of the blob container the app is deployed from.')
param deploymentContainerUrl string

@description('The connection string of Application Insights.')
param appInsightsConnectionString string

@description('The name of the Key Vault that holds the hospitals\' secrets and the export de-identification keys.')
param keyVaultName string

@description('The most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('The memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('The organisation number of the Mol-MDT (Publishing:MolMdtOrganizationNumber).')
param molMdtOrganizationNumber string

@description('The hospital EHR routes (Publishing:Hospitals), their secrets as Key Vault secret names.')
param hospitalRoutes hospitalRoute[]

@description('The issuer of the callers\' tokens (Security:Authority).')
param helseIdAuthority string

@description('This server\'s API resource name at the issuer, the tokens\' audience (Security:Audience).')
param fhirApiAudience string

@description('What the issuer puts before SMART scopes (Security:ScopePrefix).')
param fhirScopePrefix string

@description('The organisations that may call and their roles (Security:Organizations).')
param securityOrganizations organizationAccess[]

@description('Clients whose roles come ahead of their organisations\' (Security:Clients).')
param securityClients clientAccess[]

@description('Requests a client may make at once (Security:RateLimit:Burst); 0 turns the limit off.')
@minValue(0)
param rateLimitBurst int

@description('Requests a client may make each second, sustained (Security:RateLimit:PerSecond).')
@minValue(1)
param rateLimitPerSecond int

var fixedAppSettings = [
  // The Functions host's storage, with the identity (no connection string).
  { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  // The FHIR store and the pipeline's queues (Storage:Azure), with the identity.
  { name: 'Storage__Azure__BlobServiceUri', value: blobEndpoint }
  { name: 'Storage__Azure__TableServiceUri', value: tableEndpoint }
  { name: 'Storage__Azure__QueueServiceUri', value: queueEndpoint }
  { name: 'Storage__Azure__ContainerName', value: resourcesContainerName }
  { name: 'Storage__Azure__ExportContainerName', value: exportsContainerName }
  { name: 'Storage__Azure__ManagedIdentityClientId', value: identityClientId }
  // Telemetry, ingested with Entra ID as the identity (local authentication is off).
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
  { name: 'Publishing__MolMdtOrganizationNumber', value: molMdtOrganizationNumber }
  // The de-identification keys of Bulk Data export (Export:Keys), from the vault. The operator creates the secrets
  // once (infra/README.md); the app does not start without them.
  { name: 'Export__Keys__CryptoHashKey', value: keyVaultReference(keyVaultName, 'export-crypto-hash-key') }
  { name: 'Export__Keys__DateShiftKey', value: keyVaultReference(keyVaultName, 'export-date-shift-key') }
  { name: 'Export__Keys__EncryptKey', value: keyVaultReference(keyVaultName, 'export-encrypt-key') }
  // The callers' tokens (Security), checked with the issuer's public keys. In Azure the app does not start without
  // an authority.
  { name: 'Security__Authority', value: helseIdAuthority }
  { name: 'Security__Audience', value: fhirApiAudience }
  { name: 'Security__ScopePrefix', value: fhirScopePrefix }
  { name: 'Security__RateLimit__Burst', value: string(rateLimitBurst) }
  { name: 'Security__RateLimit__PerSecond', value: string(rateLimitPerSecond) }
]

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
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
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: concat(
        fixedAppSettings,
        hospitalAppSettings(hospitalRoutes, keyVaultName),
        securityAppSettings(securityOrganizations, securityClients)
      )
    }
  }
}

@description('The name of the Function App.')
output name string = site.name

@description('The default host name of the Function App; the FHIR base is https://<host>/fhir.')
output defaultHostName string = site.properties.defaultHostName

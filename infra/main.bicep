// Impress.Fhir in one resource group: the Function App on the Flex Consumption plan, its storage account (FHIR
// store, export files, pipeline queues, host storage, deployment package), a Key Vault for the hospitals' EHR
// credentials and the export de-identification keys, Log Analytics with Application Insights, and the user-assigned
// identity that all of them trust.
//
//   az deployment group create -g <resource group> -f infra/main.bicep -p infra/environments/dev.bicepparam

import { hospitalRoute } from 'modules/publishing.bicep'
import { organizationAccess, clientAccess } from 'modules/security.bicep'

@description('A short name for the deployment, part of every resource name: 2-10 lowercase letters and digits.')
@minLength(2)
@maxLength(10)
param baseName string = 'impress'

@description('The environment, part of every resource name.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('The Azure region of the resources.')
param location string = resourceGroup().location

@description('Tags added to every resource (application and environment are always set).')
param tags object = {}

@description('The replication of the storage account: Standard_ZRS keeps data in three zones of the region.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days a deleted blob or container can be restored.')
@minValue(1)
@maxValue(365)
param blobDeleteRetentionDays int = 7

@description('Days after which the storage lifecycle policy deletes an export file the app has not removed itself (the app removes them after Export:FileLifetime, 24 hours by default).')
@minValue(2)
@maxValue(365)
param exportsDeleteAfterDays int = 7

@description('The most instances the Function App scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('The memory of each Function App instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days the Log Analytics workspace keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Days a deleted Key Vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

@description('Key Vault purge protection (on in production). Once on it cannot be turned off.')
param enablePurgeProtection bool = false

@description('The organisation number of the Mol-MDT, the owner of the review Tasks (Publishing:MolMdtOrganizationNumber).')
@minLength(9)
@maxLength(9)
param molMdtOrganizationNumber string = '993467049'

@description('The hospital EHRs the publisher delivers to (Publishing:Hospitals). Secrets are names of secrets in the Key Vault.')
param hospitalRoutes hospitalRoute[] = []

// No default: HelseID's test and production instances issue different tokens, and a deployment that fell back on
// one of them would trust the wrong issuer without anyone having chosen it.
@description('The issuer of the callers\' tokens, HelseID: https://helseid-sts.test.nhn.no (test) or https://helseid-sts.nhn.no (production) (Security:Authority).')
@minLength(1)
param helseIdAuthority string

@description('This server\'s API resource name at HelseID, the audience of its tokens, e.g. nhn:impress-fhir (Security:Audience).')
@minLength(1)
param fhirApiAudience string

@description('What HelseID puts before SMART scopes, the API name and a slash, e.g. nhn:impress-fhir/ (Security:ScopePrefix).')
param fhirScopePrefix string = ''

@description('The organisations that may call, by organisation number, and their roles (Security:Organizations).')
param securityOrganizations organizationAccess[] = []

@description('Single clients, by HelseID client id, whose roles come ahead of their organisations\' (Security:Clients).')
param securityClients clientAccess[] = []

@description('Requests a client may make at once after a quiet spell (Security:RateLimit:Burst); 0 turns the limit off.')
@minValue(0)
param rateLimitBurst int = 1000

@description('Requests a client may make each second, sustained (Security:RateLimit:PerSecond).')
@minValue(1)
param rateLimitPerSecond int = 500

var suffix = uniqueString(resourceGroup().id)
var resourceTags = union(tags, {
  application: 'impress-fhir'
  environment: environmentName
})
var names = {
  identity: 'id-${baseName}-${environmentName}-${suffix}'
  storage: take('st${baseName}${environmentName}${suffix}', 24)
  keyVault: take('kv-${baseName}-${environmentName}-${suffix}', 24)
  workspace: 'log-${baseName}-${environmentName}-${suffix}'
  appInsights: 'appi-${baseName}-${environmentName}-${suffix}'
  plan: 'plan-${baseName}-${environmentName}-${suffix}'
  functionApp: 'func-${baseName}-${environmentName}-${suffix}'
}
var resourcesContainerName = 'fhir-resources'
var deploymentContainerName = 'deployment-package'
// The pipeline stages' queues (the store's queue prefix "impress" and the stage), and the poison queue of each,
// where a message goes once it has failed maxDequeueCount times (host.json, Pipeline:MaxDequeueCount). The export
// stage's queue carries the steps of Bulk Data export jobs.
var queueNames = [
  'impress-match'
  'impress-match-poison'
  'impress-publish'
  'impress-publish-poison'
  'impress-catalog'
  'impress-catalog-poison'
  'impress-events'
  'impress-events-poison'
  'impress-notify'
  'impress-notify-poison'
  'impress-export'
  'impress-export-poison'
]

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: resourceTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: resourceTags
    skuName: storageSku
    resourcesContainerName: resourcesContainerName
    deploymentContainerName: deploymentContainerName
    exportsDeleteAfterDays: exportsDeleteAfterDays
    queueNames: queueNames
    deleteRetentionDays: blobDeleteRetentionDays
    principalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: names.keyVault
    location: location
    tags: resourceTags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    enablePurgeProtection: enablePurgeProtection
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: resourceTags
    retentionInDays: logRetentionInDays
    principalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    planName: names.plan
    name: names.functionApp
    location: location
    tags: resourceTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    resourcesContainerName: resourcesContainerName
    exportsContainerName: storage.outputs.exportsContainerName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultName: keyVault.outputs.name
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    molMdtOrganizationNumber: molMdtOrganizationNumber
    hospitalRoutes: hospitalRoutes
    helseIdAuthority: helseIdAuthority
    fhirApiAudience: fhirApiAudience
    fhirScopePrefix: fhirScopePrefix
    securityOrganizations: securityOrganizations
    securityClients: securityClients
    rateLimitBurst: rateLimitBurst
    rateLimitPerSecond: rateLimitPerSecond
  }
}

@description('The name of the Function App (for func azure functionapp publish).')
output functionAppName string = functionApp.outputs.name

@description('The default host name of the Function App.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('The FHIR base URL.')
output fhirBaseUrl string = 'https://${functionApp.outputs.defaultHostName}/fhir'

@description('The name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('The name of the Key Vault (for az keyvault secret set).')
output keyVaultName string = keyVault.outputs.name

@description('The client id of the app\'s managed identity.')
output identityClientId string = identity.outputs.clientId

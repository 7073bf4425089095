// The storage account: the FHIR store (blobs and tables), the files of Bulk Data exports, the pipeline's queues, the
// Functions host's own storage (AzureWebJobsStorage) and the deployment package of the Flex Consumption app. Shared
// keys are off: every client, the Functions host included, signs in with Entra ID.

@description('The name of the storage account (3-24 lowercase letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('The Azure region.')
param location string

@description('Tags of the resources.')
param tags object

@description('The replication of the account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName string

@description('The blob container of resource versions and commit manifests (Storage:Azure:ContainerName).')
param resourcesContainerName string

@description('The blob container of Bulk Data export files (Storage:Azure:ExportContainerName).')
param exportsContainerName string = 'fhir-exports'

@description('Days after which the lifecycle policy deletes an export file the app has not removed. The app removes a job\'s files once Export:FileLifetime (24 hours by default) has passed; this only catches what it missed, so keep it longer than the lifetime plus the longest export.')
@minValue(2)
@maxValue(365)
param exportsDeleteAfterDays int = 7

@description('The blob container the Flex Consumption app is deployed from.')
param deploymentContainerName string

@description('The queues to create: the pipeline stages\' queues and their poison queues.')
param queueNames string[]

@description('Days a deleted blob or container can be restored.')
@minValue(1)
@maxValue(365)
param deleteRetentionDays int

@description('The object id of the app\'s identity, given data access to blobs, queues and tables.')
param principalId string

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: deleteRetentionDays
    }
  }
}

resource resourcesContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: resourcesContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The NDJSON files of export jobs, {job id}/{file}. Clients download them through the FHIR surface, never from here.
resource exportsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: exportsContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// A safety net behind the app's own expiry of export files: a file the app did not remove (its job's removal failed
// or never ran) is deleted some days after it was last written. The rule matches the export container only; the
// store's blobs are never touched.
resource lifecyclePolicy 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-stale-exports'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${exportsContainer.name}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: exportsDeleteAfterDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

// Storage Blob Data Owner (built-in role): the Functions host's AzureWebJobsStorage (leases of timers, keys, scale
// state), the deployment package container, the store's blobs and the export files.
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Queue Data Contributor (built-in role): the queue triggers and the stages that enqueue work.
resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, '974c5e8b-45b9-4653-ba55-5f855dd0fb88')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Storage Table Data Contributor (built-in role): the store's version rows, index, claims and commit records.
resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3')
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The name of the storage account.')
output name string = account.name

@description('The Blob service endpoint.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('The Queue service endpoint.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('The Table service endpoint.')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('The name of the blob container of export files.')
output exportsContainerName string = exportsContainer.name

@description('The URL of the container the app is deployed from.')
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'

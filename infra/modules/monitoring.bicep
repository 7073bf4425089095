// Log Analytics workspace and workspace-based Application Insights. Local (instrumentation key) authentication is off:
// the app ingests telemetry with Entra ID as its managed identity, which holds Monitoring Metrics Publisher.

@description('The name of the Log Analytics workspace.')
param workspaceName string

@description('The name of the Application Insights component.')
param appInsightsName string

@description('The Azure region.')
param location string

@description('Tags of the resources.')
param tags object

@description('Days the workspace keeps logs.')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('The object id of the identity that sends telemetry.')
param principalId string

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

// Monitoring Metrics Publisher (built-in role): ingestion into Application Insights with Entra ID.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, '3913510d-42f4-4e42-8a64-420c390055eb')
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      '3913510d-42f4-4e42-8a64-420c390055eb'
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The name of the Application Insights component.')
output appInsightsName string = appInsights.name

@description('The connection string of Application Insights (no credential: ingestion needs an Entra ID token).')
output appInsightsConnectionString string = appInsights.properties.ConnectionString

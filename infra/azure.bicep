// Azure resources for "Økonomi og lønn", deployed by teamsapp.yml (arm/deploy).
//
//  - a user-assigned managed identity: the bot's identity (BOT_TYPE=UserAssignedMSI)
//    and the web app's identity towards Azure Storage, so no secret or account
//    key exists anywhere;
//  - a Linux App Service plan and web app running Node 20 (`node dist/src/index.js`);
//  - a Storage account (tables and queues) reachable only with Entra ID, with
//    Table/Queue Data Contributor granted to the identity;
//  - Application Insights on a Log Analytics workspace;
//  - the Azure Bot registration with the Microsoft Teams channel (botRegistration/azurebot.bicep).
//
// The outputs at the end are written back to env/.env.<environment> by the toolkit.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU. B1 is the smallest tier with Always On, which a bot needs to answer promptly.')
param webAppSKU string = 'B1'

@maxLength(42)
@description('Display name of the Azure Bot resource')
param botDisplayName string

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
])
@description('LOG_LEVEL of the bot (pino levels)')
param logLevel string = 'info'

param location string = resourceGroup().location
param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
param appInsightsName string = resourceBaseName
param logAnalyticsName string = '${resourceBaseName}-logs'
// Storage account names are 3-24 lower-case letters and digits, globally unique.
param storageAccountName string = take(toLower(replace('${resourceBaseName}st', '-', '')), 24)

// Built-in role definitions (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

// One identity serves as both the bot identity and the app's storage identity:
// the web app is the only workload, so splitting them would add a second
// principal without narrowing what the running code can do.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    // Entra ID only: with shared keys disabled there is no account key or
    // connection string that could end up in app settings or leak from them.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The app creates its tables and queues itself on first use; the Data
// Contributor roles include creating them, so no table is declared here.
resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in [storageTableDataContributorRoleId, storageQueueDataContributorRoleId]: {
    scope: storage
    name: guid(storage.id, identity.id, roleId)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Compute resources for the web app: a Linux plan.
resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: serverfarmsName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSKU
  }
  properties: {
    reserved: true // required for Linux plans
  }
}

// Web app that hosts the bot.
resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // Same as `npm run start:bot`. App Service sets PORT itself.
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appSettings: [
        {
          // Run from the zip that `deploy` uploads (built locally: dist/ and node_modules/).
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'BOT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          // No BOT_PASSWORD: the managed identity authenticates the bot.
          name: 'BOT_TYPE'
          value: 'UserAssignedMSI'
        }
        {
          // Selects the user-assigned identity for @azure/identity
          // (DefaultAzureCredential / ManagedIdentityCredential) when the app
          // talks to Azure Storage.
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          // Instead of STORAGE_CONNECTION_STRING (which carries a key): the
          // endpoints, used with the managed identity.
          name: 'STORAGE_ACCOUNT_NAME'
          value: storage.name
        }
        {
          name: 'STORAGE_TABLE_ENDPOINT'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'STORAGE_QUEUE_ENDPOINT'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
      ]
    }
  }
}

// Register the web app as a bot with the Bot Framework and connect it to Teams.
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// The outputs are persisted in env/.env.<environment>.
// Visit https://aka.ms/teamsfx-actions/arm-deploy for more details.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output STORAGE_ACCOUNT_NAME string = storage.name
output STORAGE_TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
output STORAGE_QUEUE_ENDPOINT string = storage.properties.primaryEndpoints.queue

// Azure resources for "Økonomi og lønn", deployed by teamsapp.yml (arm/deploy).
//
//  - a user-assigned managed identity: the bot's identity (BOT_TYPE=UserAssignedMSI)
//    and the web app's identity towards Azure Storage, so no secret or account
//    key exists anywhere;
//  - a Linux App Service plan and web app running Node 20 (`node dist/src/index.js`);
//  - a Storage account (tables and queues) reachable only with Entra ID, with
//    Table/Queue Data Contributor granted to the identity;
//  - a Key Vault holding EXPORT_LINK_SECRET and SUPPORT_TOKEN_SECRET, which the web app reads through a
//    Key Vault reference with the same identity (Key Vault Secrets User);
//  - Application Insights and the web app's logs on a Log Analytics workspace;
//  - the Azure Bot registration with the Microsoft Teams channel (botRegistration/azurebot.bicep).
//
// The Microsoft Graph application permission proactive installation needs
// (TeamsAppInstallation.ReadWriteSelfForUser.All) is granted to the identity by
// graphPermission.bicep, deployed separately by an Entra administrator: granting it
// is admin consent, which this deployment's identity should not be able to give
// (docs/operations.md, "Proactive installation").
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

@minValue(1)
@maxValue(10)
@description('Number of web app instances. The app is stateless apart from storage, so any number may run: each outbox message is claimed by one instance, and one instance at a time sends broadcasts (the broadcast sender lease).')
param instanceCount int = 1

@description('E-mail addresses of the management coordinators, comma-separated (COORDINATORS).')
param coordinators string = ''

@description('Client id of the tabs\' own Entra app (TAB_APP_CLIENT_ID), made by aadApp/create in teamsapp.yml; the tabs validate Teams SSO tokens for it.')
param tabAppClientId string

@description('Proactive installation through Microsoft Graph (GRAPH_INSTALL_ENABLED): \'true\' once the identity has the Graph permission (graphPermission.bicep) and the app is in the catalog. Stays off without teamsAppCatalogId.')
param graphInstallEnabled string = 'false'

@description('The app\'s id in the organisation\'s Teams app catalog (TEAMS_APP_CATALOG_ID): what publish writes to TEAMS_APP_PUBLISHED_APP_ID.')
param teamsAppCatalogId string = ''

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_RAGRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
])
@description('Redundancy of the storage account that holds all app data. LRS keeps three copies in one data centre; ZRS or GRS survive the loss of a data centre or a region.')
param storageSku string = 'Standard_LRS'

@secure()
@description('Key that signs export download links (EXPORT_LINK_SECRET), shared by every instance. The default makes a new random key on each provision, which only invalidates links made in the 15 minutes before.')
param exportLinkSecret string = '${newGuid()}${newGuid()}'

@secure()
@description('Key that signs the "support this suggestion" buttons (SUPPORT_TOKEN_SECRET), shared by every instance. The default makes a new random key on each provision; buttons shown before then are refused, and sending the form again shows fresh ones.')
param supportTokenSecret string = '${newGuid()}${newGuid()}'

param location string = resourceGroup().location
param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
param appInsightsName string = resourceBaseName
param logAnalyticsName string = '${resourceBaseName}-logs'
// Key Vault names are 3-24 letters, digits and hyphens, globally unique.
param keyVaultName string = take('${resourceBaseName}-kv', 24)
// Storage account names are 3-24 lower-case letters and digits, globally unique.
param storageAccountName string = take(toLower(replace('${resourceBaseName}st', '-', '')), 24)

// Built-in role definitions (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

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
    name: storageSku
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

// Secrets the app needs, read through Key Vault references (never plain app
// settings). Access by Azure RBAC; the web app's identity may only read secrets.
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    // Deleted secrets and vaults can be recovered for 90 days. Purge protection
    // is left off so a removed test environment can be purged and re-created
    // under the same name; it cannot be switched off again once on.
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

resource exportLinkSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'export-link-secret'
  properties: {
    value: exportLinkSecret
    contentType: 'EXPORT_LINK_SECRET: HMAC key of export download links'
  }
}

resource supportTokenSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'support-token-secret'
  properties: {
    value: supportTokenSecret
    contentType: 'SUPPORT_TOKEN_SECRET: HMAC key of the support buttons on similar suggestions'
  }
}

resource keyVaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Compute resources for the web app: a Linux plan.
resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: serverfarmsName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSKU
    capacity: instanceCount
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
    // Nothing is kept per instance, so requests need not stick to one.
    clientAffinityEnabled: false
    // Key Vault references are resolved with the user-assigned identity.
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // Same as `npm run start:bot`. App Service sets PORT itself.
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      // Instances whose /healthz fails (storage unreachable) are taken out of the load balancer.
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
    }
  }
}

// The app settings, apart from the site so they can name its host name (PUBLIC_BASE_URL).
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    // Run from the zip that `deploy` uploads (built locally: dist/ and node_modules/).
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    BOT_ID: identity.properties.clientId
    BOT_TENANT_ID: identity.properties.tenantId
    // No BOT_PASSWORD: the managed identity authenticates the bot.
    BOT_TYPE: 'UserAssignedMSI'
    // Selects the user-assigned identity for @azure/identity when the app
    // talks to Azure Storage (DefaultAzureCredential).
    AZURE_CLIENT_ID: identity.properties.clientId
    // Instead of STORAGE_CONNECTION_STRING (which would carry a key): the
    // table endpoint, used with the managed identity.
    STORAGE_TABLE_ENDPOINT: storage.properties.primaryEndpoints.table
    PUBLIC_BASE_URL: 'https://${webApp.properties.defaultHostName}'
    EXPORT_LINK_SECRET: '@Microsoft.KeyVault(SecretUri=${exportLinkSecretValue.properties.secretUri})'
    SUPPORT_TOKEN_SECRET: '@Microsoft.KeyVault(SecretUri=${supportTokenSecretValue.properties.secretUri})'
    COORDINATORS: coordinators
    TAB_APP_CLIENT_ID: tabAppClientId
    // Off until the app has a catalog id (after publish): on without one, the app would refuse to start.
    GRAPH_INSTALL_ENABLED: graphInstallEnabled == 'true' && !empty(teamsAppCatalogId) ? 'true' : 'false'
    TEAMS_APP_CATALOG_ID: teamsAppCatalogId
    LOG_LEVEL: logLevel
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // Application Insights' Node.js agent, without code changes: requests, dependencies, exceptions.
    ApplicationInsightsAgent_EXTENSION_VERSION: '~3'
  }
  dependsOn: [
    keyVaultSecretsUser
    storageRoleAssignments
  ]
}

// The app's JSON logs (stdout), App Service's HTTP logs and platform logs into Log Analytics.
resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: webApp
  name: 'logs-to-log-analytics'
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
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
output BOT_AZURE_APP_SERVICE_NAME string = webApp.name
output PUBLIC_BASE_URL string = 'https://${webApp.properties.defaultHostName}'
output STORAGE_ACCOUNT_NAME string = storage.name
// For graphPermission.bicep (the administrator's grant of the Graph permission).
output IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output STORAGE_TABLE_ENDPOINT string = storage.properties.primaryEndpoints.table
output STORAGE_QUEUE_ENDPOINT string = storage.properties.primaryEndpoints.queue
output KEY_VAULT_NAME string = keyVault.name
output APPLICATIONINSIGHTS_NAME string = appInsights.name

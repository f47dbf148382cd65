// Azure Bot registration for "Økonomi og lønn" with the Microsoft Teams channel.
// Used as a module by ../azure.bicep; see readme.md next to this file.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param botServiceName string = resourceBaseName

@description('F0 (free) covers the Teams channel; S1 is only needed for premium channels.')
param botServiceSku string = 'F0'

@description('Resource id of the user-assigned managed identity that is the bot identity')
param identityResourceId string

@description('Client id of that identity: the bot id (BOT_ID, "msaAppId")')
param identityClientId string

@description('Tenant of that identity (BOT_TENANT_ID)')
param identityTenantId string

@description('Host name of the web app that serves /api/messages')
param botAppDomain string

// 'global' is the usual choice. A regional bot ('westeurope') keeps Bot
// Service data in the EU, but then the bot's code must also use the regional
// Bot Framework endpoints; change both together if that is required.
resource botService 'Microsoft.BotService/botServices@2021-03-01' = {
  kind: 'azurebot'
  location: 'global'
  name: botServiceName
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
    msaAppType: 'UserAssignedMSI'
  }
}

// Connect the bot service to Microsoft Teams.
resource botServiceMsTeamsChannel 'Microsoft.BotService/botServices/channels@2021-03-01' = {
  parent: botService
  location: 'global'
  name: 'MsTeamsChannel'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Grants the bot's identity (the user-assigned managed identity of azure.bicep) the Microsoft Graph application
// permission that proactive installation needs: TeamsAppInstallation.ReadWriteSelfForUser.All, which lets the app
// install itself (and only itself) for users and read the chat that makes. For a managed identity the app role
// assignment is the admin consent: there is no consent prompt and no app registration manifest to list it in.
//
// Deployed on its own by an Entra administrator (Privileged Role Administrator, or a principal with
// AppRoleAssignment.ReadWrite.All and Application.Read.All), not by `provision`, whose identity should not be able to
// grant Graph permissions. Needs Bicep 0.36.1 or later and the Microsoft Graph extension named in bicepconfig.json:
//
//   az deployment group create --resource-group <group> --template-file infra/graphPermission.bicep \
//     --parameters identityPrincipalId=<IDENTITY_PRINCIPAL_ID from env/.env.dev>
//
// docs/operations.md ("Proactive installation") gives the same grant with az rest, and how to check it.

extension microsoftGraphV1

@description('Object (principal) id of the bot identity: the IDENTITY_PRINCIPAL_ID output of azure.bicep.')
param identityPrincipalId string

// Microsoft Graph's service principal in the tenant, by its well-known app id.
resource graph 'Microsoft.Graph/servicePrincipals@v1.0' existing = {
  appId: '00000003-0000-0000-c000-000000000000'
}

resource teamsAppInstallation 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  principalId: identityPrincipalId
  resourceId: graph.id
  appRoleId: filter(graph.appRoles, role => role.value == 'TeamsAppInstallation.ReadWriteSelfForUser.All')[0].id
}

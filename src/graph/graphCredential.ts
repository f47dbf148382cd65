import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

export interface GraphIdentity {
  /** GRAPH_BASE_URL: a stand-in on loopback asks for no token. */
  graphBaseUrl: string;
  /** The bot identity (BOT_ID, BOT_PASSWORD, BOT_TENANT_ID, BOT_TYPE); null in the local mode. */
  bot: { id: string; password?: string; tenantId?: string; type: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' } | null;
  /** AZURE_CLIENT_ID: the user-assigned managed identity @azure/identity picks. */
  managedIdentityClientId?: string;
}

/**
 * The app's identity towards Microsoft Graph: the bot identity, since the Graph permission is granted to it
 * (docs/operations.md). In Azure that is the user-assigned managed identity; with a bot secret, the bot's app
 * registration; otherwise whatever DefaultAzureCredential finds (a developer's `az login`). null for a stand-in
 * Graph on loopback.
 */
export function graphCredential(identity: GraphIdentity): TokenCredential | null {
  const host = new URL(identity.graphBaseUrl).hostname;
  if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return null;
  const bot = identity.bot;
  if (bot?.type === 'UserAssignedMSI') return new ManagedIdentityCredential({ clientId: bot.id });
  if (bot?.password && bot.tenantId) return new ClientSecretCredential(bot.tenantId, bot.id, bot.password);
  return new DefaultAzureCredential(identity.managedIdentityClientId ? { managedIdentityClientId: identity.managedIdentityClientId } : {});
}

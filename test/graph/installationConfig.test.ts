import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { graphCredential } from '../../src/graph/graphCredential';

describe('proactive installation settings', () => {
  it('is off unless GRAPH_INSTALL_ENABLED is true', () => {
    expect(loadConfig({}).installation).toBeNull();
    expect(loadConfig({ TEAMS_APP_CATALOG_ID: 'catalog-id' }).installation).toBeNull();
  });

  it('needs the catalog app id when on, and takes Graph, its pace and the Teams service URL with defaults', () => {
    expect(() => loadConfig({ GRAPH_INSTALL_ENABLED: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRAPH_INSTALL_ENABLED: 'true' })).toThrow(/TEAMS_APP_CATALOG_ID/);
    expect(loadConfig({ GRAPH_INSTALL_ENABLED: 'true', TEAMS_APP_CATALOG_ID: 'catalog-id' }).installation).toEqual({
      catalogAppId: 'catalog-id',
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      graphRequestsPerSecond: 10,
      serviceUrl: 'https://smba.trafficmanager.net/teams/',
    });
    expect(() => loadConfig({ GRAPH_INSTALL_ENABLED: 'yes', TEAMS_APP_CATALOG_ID: 'catalog-id' })).toThrow(/GRAPH_INSTALL_ENABLED/);
    expect(() => loadConfig({ GRAPH_BASE_URL: 'graph.microsoft.com' })).toThrow(/GRAPH_BASE_URL/);
  });

  it("uses the bot identity towards Graph: the managed identity, or the bot's secret; none for a stand-in on loopback", () => {
    const graphBaseUrl = 'https://graph.microsoft.com/v1.0';
    expect(graphCredential({ graphBaseUrl: 'http://127.0.0.1:4555/v1.0', bot: { id: 'bot', type: 'UserAssignedMSI' } })).toBeNull();
    expect(graphCredential({ graphBaseUrl, bot: { id: 'bot', tenantId: 'tenant', type: 'UserAssignedMSI' } })).toBeInstanceOf(ManagedIdentityCredential);
    expect(graphCredential({ graphBaseUrl, bot: { id: 'bot', password: 'secret', tenantId: 'tenant', type: 'SingleTenant' } })).toBeInstanceOf(ClientSecretCredential);
    expect(graphCredential({ graphBaseUrl, bot: null })).toBeInstanceOf(DefaultAzureCredential);
  });
});

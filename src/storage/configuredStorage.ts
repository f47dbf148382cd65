import { DefaultAzureCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedAzurite } from './azurite';
import type { TableStorage } from './tables';

export interface ConfiguredStorage {
  tables: TableStorage;
  /** For the start-up log: which kind of storage, never a key. */
  description: { kind: 'connection-string' } | { kind: 'managed-identity'; tableEndpoint: string } | { kind: 'embedded-azurite'; location: string; startedHere: boolean };
  /** Stops embedded Azurite if this process started it. */
  stop(): Promise<void>;
}

/**
 * The storage the configuration names. With a table endpoint the credential is
 * DefaultAzureCredential: in Azure it is the web app's managed identity
 * (managedIdentityClientId picks the user-assigned one); on a developer's
 * machine it can be their `az login`. With `restartWith`, embedded Azurite
 * that dies is started again (the app); without, it is not (the import command).
 */
export async function openConfiguredStorage(storage: AppConfig['storage'], restartWith?: { logger: Logger }): Promise<ConfiguredStorage> {
  if ('connectionString' in storage) {
    return { tables: storage.connectionString, description: { kind: 'connection-string' }, stop: async () => undefined };
  }
  if ('tableEndpoint' in storage) {
    const credential = new DefaultAzureCredential(storage.managedIdentityClientId ? { managedIdentityClientId: storage.managedIdentityClientId } : {});
    return {
      tables: { endpoint: storage.tableEndpoint, credential },
      description: { kind: 'managed-identity', tableEndpoint: storage.tableEndpoint },
      stop: async () => undefined,
    };
  }
  const azurite = await startEmbeddedAzurite({ ports: storage.embedded.ports, location: storage.embedded.location, restart: restartWith });
  return {
    tables: azurite.connectionString,
    description: { kind: 'embedded-azurite', location: storage.embedded.location, startedHere: azurite.startedHere },
    stop: async () => {
      if (azurite.startedHere) await azurite.stop();
    },
  };
}

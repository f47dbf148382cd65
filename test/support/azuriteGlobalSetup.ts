import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedAzurite } from '../../src/storage/azurite';

declare module 'vitest' {
  export interface ProvidedContext {
    storageConnectionString: string;
  }
}

/** One in-memory Azurite for the whole run; each test uses its own tables. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startEmbeddedAzurite({
    ports: { blob: await freePort(), queue: await freePort(), table: await freePort() },
  });
  project.provide('storageConnectionString', azurite.connectionString);
  return () => azurite.stop();
}

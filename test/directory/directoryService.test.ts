import { describe, expect, it } from 'vitest';
import { DirectoryService } from '../../src/directory/directoryService';
import { TableDirectoryStore, type DirectoryStore } from '../../src/directory/directoryStore';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { ensureSeeded } from '../../src/directory/seedDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { waitFor } from '../support/teamsUsers';

/** A store whose version pointer cannot be read while `down` is set, as in a storage outage. */
function flakyStore(store: DirectoryStore): { store: DirectoryStore; setDown: (down: boolean) => void } {
  let down = false;
  return {
    store: {
      current: () => store.current(),
      currentVersion: () => (down ? Promise.reject(new Error('storage down')) : store.currentVersion()),
      replace: (...args) => store.replace(...args),
    },
    setDown: (value) => (down = value),
  };
}

describe('DirectoryService polling', () => {
  it('follows an import made elsewhere, logs a failed refresh and goes on, and stops when told', async () => {
    const tables = await TableDirectoryStore.open(testConnectionString(), uniqueTablePrefix('dirpoll'));
    const seeded = await ensureSeeded(tables);
    const { store, setDown } = flakyStore(tables);
    const errors: string[] = [];
    const service = new DirectoryService(store, seeded, { info: () => undefined, error: (_object, message) => errors.push(message) });
    const changes: DirectoryIndex[] = [];
    service.onChange((index) => changes.push(index));

    setDown(true);
    service.startPolling(20);
    await waitFor(() => errors.length >= 2, 5000, 'failed refreshes to be logged');
    expect(errors[0]).toBe('directory refresh failed');
    setDown(false);

    const fewerPeople = { ...seeded.directory, people: seeded.directory.people.slice(0, 3) };
    const imported = await tables.replace(fewerPeople, 'elsewhere', { expectedVersion: seeded.version });
    await waitFor(() => service.version === imported.version, 5000, 'the new version to be picked up');
    expect(changes).toHaveLength(1);
    expect(service.index).toBe(changes[0]);

    await service.stopPolling();
    const later = await tables.replace(seeded.directory, 'later', { expectedVersion: imported.version });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(service.version).toBe(imported.version);
    expect(later.version).not.toBe(imported.version);
  });
});

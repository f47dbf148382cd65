import { DirectoryIndex } from '../../src/directory/directoryIndex';
import { TableDirectoryStore } from '../../src/directory/directoryStore';
import { ensureSeeded } from '../../src/directory/seedDirectory';
import { testConnectionString, uniqueTablePrefix } from './storage';

/** The shipped sample directory, stored in Azurite and read back as the app does. */
export async function seededDirectoryIndex(): Promise<DirectoryIndex> {
  const store = await TableDirectoryStore.open(testConnectionString(), `${uniqueTablePrefix('dir')}directory`);
  const snapshot = await ensureSeeded(store);
  return new DirectoryIndex(snapshot.directory);
}

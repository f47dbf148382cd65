import { DirectoryIndex } from '../../src/directory/directoryIndex';
import { readDirectorySource } from '../../src/directory/import/readDirectorySource';
import { validateDirectory } from '../../src/directory/import/validateDirectory';
import { sampleDirectoryFolder } from '../../src/directory/seedDirectory';
import { Understander } from '../../src/understanding/understandTurn';

let sample: Promise<Understander> | null = null;

/** The understanding of the shipped sample directory, read from its files once per test file (no storage needed). */
export function sampleUnderstander(): Promise<Understander> {
  sample ??= (async () => {
    const validated = validateDirectory(await readDirectorySource(sampleDirectoryFolder()));
    if (!validated.ok) throw new Error('the sample directory does not validate');
    return Understander.for(new DirectoryIndex(validated.directory));
  })();
  return sample;
}

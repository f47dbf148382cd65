import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { searchUnits } from '../../src/directory/searchUnits';
import { seededDirectoryIndex } from '../support/seededDirectory';

describe('unit search for typeahead', () => {
  let index: DirectoryIndex;
  const codes = (text: string, limit = 15) => searchUnits(index.directory.units, text, limit).map((unit) => unit.code);
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  it('puts the unit whose code is typed first, then units whose code begins so', () => {
    expect(codes('IE')[0]).toBe('IE');
    expect(codes('ie')[0]).toBe('IE');
    expect(codes('IDI')).toEqual(['IDI']);
  });

  it('finds units by the beginning of words of their names or aliases, in either language', () => {
    expect(codes('fysikk')).toContain('IFY');
    expect(codes('fysi')).toContain('IFY');
    expect(codes('Department of Physics')[0]).toBe('IFY');
    expect(codes('datatek')).toEqual(['IDI']);
    expect(codes('humfak')).toEqual(['HF']);
  });

  it('folds case and æøå spellings and tolerates typos in longer words', () => {
    expect(codes('okonomiavdelingen')).toEqual(codes('Økonomiavdelingen'));
    expect(codes('Økonomiavdelingen').length).toBeGreaterThan(0);
    expect(codes('datateknolgi')).toEqual(['IDI']);
  });

  it('needs every word to match, and finds nothing for text that names no unit', () => {
    expect(codes('fysikk datateknologi')).toEqual([]);
    expect(codes('qqqqqq')).toEqual([]);
  });

  it('lists the units by code for an empty query, up to the limit', () => {
    const all = codes('', 100);
    expect(all).toHaveLength(index.directory.units.length);
    expect(all).toEqual([...all].sort((a, b) => a.localeCompare(b, 'nb')));
    expect(codes('', 15)).toHaveLength(15);
  });
});

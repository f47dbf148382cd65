import { describe, expect, it } from 'vitest';
import { openTable } from '../src/storage/tables';
import { testConnectionString, uniqueTablePrefix } from './support/storage';

describe('Azurite test storage', () => {
  it('round-trips an entity through a real table', async () => {
    const table = await openTable(testConnectionString(), uniqueTablePrefix('roundtrip'));
    await table.createEntity({ partitionKey: 'p', rowKey: 'r', value: 'æøå' });
    const entity = await table.getEntity<{ value: string }>('p', 'r');
    expect(entity.value).toBe('æøå');
  });
});

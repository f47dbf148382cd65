import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export function testConnectionString(): string {
  return inject('storageConnectionString');
}

/** A table-name prefix no other test uses (table names: letters and digits, starting with a letter). */
export function uniqueTablePrefix(label = 't'): string {
  return `${label.replace(/[^A-Za-z0-9]/g, '')}${randomBytes(4).toString('hex')}`;
}

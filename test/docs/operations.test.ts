import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config';

const root = path.resolve(__dirname, '..', '..');
const operations = fs.readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('the operations guide', () => {
  it('is linked from the README', () => {
    expect(readme).toContain('](docs/operations.md)');
  });

  it.each(CONFIG_VARIABLES)('documents %s in the configuration reference and the README', (name) => {
    const reference = operations.slice(operations.indexOf('## Configuration reference'), operations.indexOf('## Coordinators'));
    expect(reference).toContain(`\`${name}\``);
    expect(readme).toContain(`\`${name}\``);
  });

  it('covers what the issue asks for', () => {
    for (const heading of [
      '## Configuration reference',
      '## Coordinators and channel registrations',
      '## Data, backups and retention',
      '## Privacy',
      '## Scaling',
      '## Monitoring',
      '## Upgrading',
    ]) {
      expect(operations).toContain(heading);
    }
  });
});

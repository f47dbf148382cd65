import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every card template the Teams layer renders. */
function templateFiles(dir = path.resolve(__dirname, '../../src/teams')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return templateFiles(full);
    return entry.name.endsWith('.json') && dir.endsWith(`${path.sep}templates`) ? [full] : [];
  });
}

/** Every object in a card, depth first. */
function elements(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (node === null || typeof node !== 'object') return [];
  return [node as Record<string, unknown>, ...Object.values(node).flatMap(elements)];
}

describe('card templates', () => {
  const files = templateFiles();

  it('are found', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((file) => [path.relative(path.resolve(__dirname, '../..'), file), file]))('%s targets Adaptive Cards 1.5', (_name, file) => {
    const card = JSON.parse(readFileSync(file, 'utf8')) as { type: string; version?: string };
    if (card.type === 'AdaptiveCard') expect(card.version).toBe('1.5');
  });

  // Yellow and green text is too faint on Teams' light theme; a container's semantic style keeps the text in the
  // theme's own colour on a tinted background, readable in light, dark and high contrast alike.
  it.each(files.map((file) => [path.relative(path.resolve(__dirname, '../..'), file), file]))('%s writes no text in Warning or Good colour', (_name, file) => {
    const faint = elements(JSON.parse(readFileSync(file, 'utf8'))).filter(
      (element) => element.type === 'TextBlock' && typeof element.color === 'string' && ['warning', 'good'].includes(element.color.toLowerCase()),
    );
    expect(faint.map((element) => element.text)).toEqual([]);
  });
});

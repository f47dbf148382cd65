import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEW_FORM_VALUES } from '../../src/announcements/validateAnnouncement';
import { announcementFormCard } from '../../src/teams/announcements/announcementCards';
import { suggestionFormCard } from '../../src/teams/suggestions/suggestionCards';
import { seededDirectoryIndex } from '../support/seededDirectory';

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

describe('forms', () => {
  /** Inputs the client refuses to send empty, with what it then says under them. */
  function requiredInputs(card: unknown): Array<{ id: unknown; errorMessage: unknown }> {
    return elements(card)
      .filter((element) => typeof element.type === 'string' && element.type.startsWith('Input.') && element.isRequired === true)
      .map((element) => ({ id: element.id, errorMessage: element.errorMessage }));
  }

  // Without an errorMessage the client blocks the send and shows nothing: the user sees no reason.
  it('the suggestion form says under every required input what is missing, before the server has said anything', async () => {
    const card = suggestionFormCard(await seededDirectoryIndex(), 'nb', { formId: 'f' }).content;
    const required = requiredInputs(card);
    expect(required.map((input) => input.id)).toEqual(expect.arrayContaining(['process', 'unit', 'title', 'description', 'potential', 'system']));
    for (const input of required) expect(input.errorMessage, String(input.id)).toBe('Må fylles ut.');
    const english = requiredInputs(suggestionFormCard(await seededDirectoryIndex(), 'en', { formId: 'f', problems: { title: 'too-long' } }).content);
    expect(english.find((input) => input.id === 'title')?.errorMessage).toMatch(/Too long/i);
    expect(english.find((input) => input.id === 'description')?.errorMessage).toMatch(/required/i);
  });

  it('the announcement form says under every required input what is missing', async () => {
    const form = { id: null, values: NEW_FORM_VALUES, problems: {}, withDistribution: true, channels: [] };
    const required = requiredInputs(announcementFormCard(await seededDirectoryIndex(), 'nb', form, 'f').content);
    expect(required.length).toBeGreaterThanOrEqual(4);
    for (const input of required) expect(input.errorMessage, String(input.id)).toBe('Må fylles ut.');
  });
});

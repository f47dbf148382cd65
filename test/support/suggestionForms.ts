import { randomUUID } from 'node:crypto';

/**
 * The values of a valid suggestion form as the card submits them. The texts
 * are unique so a submission never resembles another unless a test wants it to.
 */
export function suggestionForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    process: 'BTB',
    unit: 'IDI',
    title: `Forslag ${randomUUID()}`,
    description: `Beskrivelse ${randomUUID()}`,
    potential: `Gevinst ${randomUUID()}`,
    system: 'unit4',
    mayContact: 'true',
    lang: 'nb',
    formId: randomUUID(),
    ...overrides,
  };
}

/** The suggestion id (FF-yyyy-nnnn) a card or message names. */
export function suggestionIdIn(text: string): string {
  const match = /FF-\d{4}-\d{4}/.exec(text);
  if (!match) throw new Error(`no suggestion id in ${text.slice(0, 300)}`);
  return match[0];
}

import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { ADVISOR_QUESTION_VERB, advisorQuestionFormCard } from '../../src/teams/advisorQuestions/advisorQuestionCards';
import { ReplyCards } from '../../src/teams/cards/replyCards';
import { seededDirectoryIndex } from '../support/seededDirectory';

/** Every object in a card, depth first. */
function elements(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (node === null || typeof node !== 'object') return [];
  return [node as Record<string, unknown>, ...Object.values(node).flatMap(elements)];
}

function askButtons(card: unknown): Record<string, unknown>[] {
  return elements(card).filter((element) => element.verb === ADVISOR_QUESTION_VERB.openForm);
}

describe('"Spør prosessrådgiveren"', () => {
  let index: DirectoryIndex;
  let cards: ReplyCards;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
    cards = new ReplyCards(() => index);
  });

  it('is on answers in chat, with the process and the question, and not where nothing was asked (a welcome, a search)', () => {
    const explanation = { kind: 'process-explanation' as const, processes: [index.process('PBO')!], processRole: null };
    expect(askButtons(cards.toActivity(explanation, 'nn', 'Kva er PBO?').attachments[0]?.content)).toEqual([
      expect.objectContaining({ title: 'Spør prosessrådgjevaren', data: { process: 'PBO', question: 'Kva er PBO?', lang: 'nn' } }),
    ]);
    expect(askButtons(cards.toActivity(explanation, 'nb').attachments[0]?.content)).toEqual([]);
  });

  it("is on the reply about one's own pay (Lønn), and not on what concerns no process", () => {
    const pay = { kind: 'cannot-answer' as const, topic: 'own-money' as const, contactPoints: [] };
    expect(askButtons(cards.toActivity(pay, 'en', 'How much is my salary?').attachments[0]?.content)).toEqual([
      expect.objectContaining({ title: 'Ask the advisor', data: { process: 'LONN', question: 'How much is my salary?', lang: 'en' } }),
    ]);
    const weather = { kind: 'cannot-answer' as const, topic: 'weather' as const, contactPoints: [] };
    expect(askButtons(cards.toActivity(weather, 'nb', 'Blir det regn?').attachments[0]?.content)).toEqual([]);
  });

  it('opens a form that says under every required input what is missing, in the language of the user', () => {
    const required = (card: unknown) =>
      elements(card)
        .filter((element) => typeof element.type === 'string' && element.type.startsWith('Input.') && element.isRequired === true)
        .map((element) => [element.id, element.errorMessage]);
    expect(required(advisorQuestionFormCard(index, 'nb', { formId: 'f' }).content)).toEqual([
      ['process', 'Må fylles ut.'],
      ['unit', 'Må fylles ut.'],
      ['text', 'Må fylles ut.'],
    ]);
    expect(required(advisorQuestionFormCard(index, 'en', { formId: 'f', problems: { text: 'too-long' } }).content)).toContainEqual(['text', 'Too long: at most 2000 characters.']);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { ROLE, type Assignment } from '../../src/directory/model';
import { MAX_PEOPLE_ON_CARD, ReplyCards } from '../../src/teams/cards/replyCards';
import { seededDirectoryIndex } from '../support/seededDirectory';

describe('answer cards', () => {
  let index: DirectoryIndex;
  let cards: ReplyCards;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
    cards = new ReplyCards(() => index);
  });

  function answerWith(count: number) {
    const people: Assignment[] = Array.from({ length: count }, (_, i) => ({
      role: ROLE.processAdvisor,
      process: 'LONN',
      unit: 'TJS',
      name: `Person ${i}`,
      email: `person.${i}@ntnu.example`,
      phone: null,
      note: null,
    }));
    return {
      kind: 'contacts' as const,
      ownUnit: false,
      carriedOver: null,
      answer: { role: index.role(ROLE.processAdvisor)!, process: index.process('LONN')!, unit: null, people, reason: { kind: 'service-centre' as const } },
    };
  }

  it('are Adaptive Cards 1.5 that list every person of a short answer', () => {
    const activity = cards.toActivity(answerWith(3), 'nb');
    const card = activity.attachments[0]?.content as { version: string; body: unknown[] };
    expect(card.version).toBe('1.5');
    const json = JSON.stringify(card);
    for (let i = 0; i < 3; i++) expect(json).toContain(`person.${i}@ntnu.example`);
    expect(json).not.toContain('til. Spør gjerne');
  });

  it(`list at most ${MAX_PEOPLE_ON_CARD} people, say how many more there are, and stay under Teams' message size`, () => {
    const activity = cards.toActivity(answerWith(MAX_PEOPLE_ON_CARD + 5), 'nb');
    const json = JSON.stringify(activity);
    expect(json).toContain(`person.${MAX_PEOPLE_ON_CARD - 1}@ntnu.example`);
    expect(json).not.toContain(`person.${MAX_PEOPLE_ON_CARD}@ntnu.example`);
    expect(json).toContain('… og 5 til');
    expect(Buffer.byteLength(json)).toBeLessThan(28_000);
  });
});

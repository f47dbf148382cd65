import { describe, expect, it } from 'vitest';
import type { SharedAnswer } from '../../src/advisorQuestions/sharedAnswers';
import { sharedAnswerText } from '../../src/teams/advisorQuestions/sharedAnswerCards';

/** A standing answer is titled "Fast svar" / "Standing answer"; an ordinary shared one "Dette er besvart før". */

const shared: SharedAnswer = {
  questionId: 'SP-2026-0001',
  process: 'BTB',
  question: 'Hvordan fører jeg utlegg for kurs?',
  answer: 'Bruk reiseregningen.',
  answeredBy: 'Audun Brekke',
  answeredAt: '2026-12-03T10:00:00.000Z',
  similarity: 0.6,
  standing: false,
};

describe('the shared answer card title', () => {
  it('says "Fast svar" for a standing answer in nb and nn, "Standing answer" in en, and "Dette er besvart før" otherwise', () => {
    expect(sharedAnswerText(shared, 'nb')).toMatch(/^Dette er besvart før: «Hvordan fører jeg utlegg for kurs\?»/);
    const standing = { ...shared, standing: true };
    expect(sharedAnswerText(standing, 'nb')).toMatch(/^Fast svar: «Hvordan fører jeg utlegg for kurs\?»/);
    expect(sharedAnswerText(standing, 'nn')).toMatch(/^Fast svar: «/);
    expect(sharedAnswerText(standing, 'en')).toMatch(/^Standing answer: “Hvordan fører jeg utlegg for kurs\?”/);
  });
});

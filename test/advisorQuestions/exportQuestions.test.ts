import { describe, expect, it } from 'vitest';
import { filterQuestions } from '../../src/advisorQuestions/exportQuestions';
import type { AdvisorQuestion } from '../../src/advisorQuestions/model';

const question = (id: string, process: string, createdAt: string) => ({ id, process, createdAt }) as AdvisorQuestion;

describe("the questions the suggestions' export selects", () => {
  const questions = [
    question('SP-2026-0003', 'BTB', '2026-03-31T22:30:00Z'),
    question('SP-2026-0001', 'BTB', '2026-03-01T08:00:00Z'),
    question('SP-2026-0002', 'LONN', '2026-03-15T08:00:00Z'),
  ];

  it('takes all, oldest first, with no filter', () => {
    expect(filterQuestions(questions, { processes: [], createdFrom: null, createdTo: null }).map((q) => q.id)).toEqual(['SP-2026-0001', 'SP-2026-0002', 'SP-2026-0003']);
  });

  it('selects by process and by the Norwegian date asked, both ends inclusive', () => {
    expect(filterQuestions(questions, { processes: ['BTB'], createdFrom: null, createdTo: null }).map((q) => q.id)).toEqual(['SP-2026-0001', 'SP-2026-0003']);
    // 22:30 UTC on 31 March is 1 April in Norway.
    expect(filterQuestions(questions, { processes: [], createdFrom: '2026-03-15', createdTo: '2026-03-31' }).map((q) => q.id)).toEqual(['SP-2026-0002']);
    expect(filterQuestions(questions, { processes: [], createdFrom: '2026-04-01', createdTo: null }).map((q) => q.id)).toEqual(['SP-2026-0003']);
  });
});

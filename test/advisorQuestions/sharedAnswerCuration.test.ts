import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdvisorQuestionService } from '../../src/advisorQuestions/advisorQuestionService';
import { TableAdvisorQuestionStore } from '../../src/advisorQuestions/advisorQuestionStore';
import type { AdvisorQuestion } from '../../src/advisorQuestions/model';
import { SHARED_ANSWER_THRESHOLD, STANDING_ANSWER_THRESHOLD } from '../../src/advisorQuestions/sharedAnswers';
import { QUESTION_TEXT_LIMIT } from '../../src/advisorQuestions/validateQuestion';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import type { Actor } from '../../src/core/actor';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { advisorQuestionsPersonalData } from '../../src/privacy/advisorQuestionsPersonalData';
import { wordSetCosine, topicWords } from '../../src/suggestions/similarSuggestions';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/** A coordinator curating shared answers: edit, hide, promote to a standing answer ("Fast svar"), with the questions in Azurite. */

const ASKER: Actor = { id: 'kari', name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const BTB_MANAGER: Actor = { id: 'lene', name: 'Lene Kristiansen', email: 'lene.kristiansen@ntnu.example' };
const COORDINATOR: Actor = { id: 'koord', name: 'Kim Koordinator', email: 'kim.koordinator@ntnu.example' };
const nowhere = { conversationId: null };

describe('curating shared answers', () => {
  let store: TableAdvisorQuestionStore;
  let service: AdvisorQuestionService;

  const question = async (text: string, answer = 'Svar', by: Actor = ASKER): Promise<AdvisorQuestion> => {
    const asked = await service.ask({ process: 'BTB', unit: 'IDI', text, shareable: 'true' }, by, randomUUID(), 'nb');
    if (asked.kind !== 'submitted') throw new Error(`not submitted: ${asked.kind}`);
    const answered = await service.act(asked.question.id, 'answer', BTB_MANAGER, nowhere, { comment: answer, language: 'nb' });
    if (answered.kind !== 'applied') throw new Error(`not answered: ${answered.kind}`);
    return answered.question;
  };
  const found = (text: string) => service.sharedAnswers({ text, processes: [] }, 5);

  beforeAll(async () => {
    const index = await seededDirectoryIndex();
    const prefix = uniqueTablePrefix('curate');
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    store = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}questions`);
    service = new AdvisorQuestionService({
      directory: () => index,
      store,
      registrations: await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: new Set([COORDINATOR.email ?? '']),
      toSuggestion: () => Promise.resolve('FF-2026-0001'),
    });
  });

  it('refuses everyone but a coordinator, even the one who answered, and changes nothing', async () => {
    const answered = await question('Hvordan sperrer jeg et innkjøpskort som er mistet?');
    for (const actor of [ASKER, BTB_MANAGER]) expect(await service.curate(answered.id, { action: 'hide' }, actor)).toEqual({ kind: 'refused', reason: 'not-coordinator' });
    expect((await service.get(answered.id))?.curation).toBeUndefined();
    expect((await found('sperrer innkjøpskort mistet')).map((match) => match.questionId)).toEqual([answered.id]);
  });

  it('edits the shared text later askers see; the asker keeps the answer they were sent, and the edit is in the history', async () => {
    const answered = await question('Hvordan endrer jeg kontostreng på en faktura i Unit4?', 'Gammelt svar');
    const edited = await service.curate(answered.id, { action: 'edit', text: '  Nytt, kuratert svar.  ' }, COORDINATOR, answered.updatedAt);
    expect(edited).toMatchObject({ kind: 'applied', question: { answer: { text: 'Gammelt svar' }, curation: { text: 'Nytt, kuratert svar.', hidden: false, standing: false } } });
    expect(edited.kind === 'applied' && edited.question.curation?.history).toEqual([expect.objectContaining({ action: 'edit', by: COORDINATOR, text: 'Nytt, kuratert svar.' })]);
    expect((await found('endrer kontostreng faktura Unit4'))[0]).toMatchObject({ questionId: answered.id, answer: 'Nytt, kuratert svar.', standing: false });
  });

  it('refuses an empty or overlong text, an unknown question and one not shared', async () => {
    const answered = await question('Hvordan krediterer jeg en utgående faktura til kunde?');
    expect(await service.curate(answered.id, { action: 'edit', text: '   ' }, COORDINATOR)).toEqual({ kind: 'invalid', problem: 'required' });
    expect(await service.curate(answered.id, { action: 'edit', text: 'x'.repeat(QUESTION_TEXT_LIMIT + 1) }, COORDINATOR)).toEqual({ kind: 'invalid', problem: 'too-long' });
    expect(await service.curate('SP-1999-9999', { action: 'hide' }, COORDINATOR)).toEqual({ kind: 'not-found' });
    const asked = await service.ask({ process: 'BTB', unit: 'IDI', text: 'Privat spørsmål om lønnstrekk', shareable: 'false' }, ASKER, randomUUID(), 'nb');
    if (asked.kind !== 'submitted') throw new Error('not submitted');
    expect(await service.curate(asked.question.id, { action: 'promote' }, COORDINATOR)).toMatchObject({ kind: 'refused', reason: 'not-shareable' });
  });

  it('reports a concurrent change as a conflict and leaves it as the other left it', async () => {
    const answered = await question('Hvordan registrerer jeg mottak av varer i innkjøpssystemet?');
    expect(await service.curate(answered.id, { action: 'hide' }, COORDINATOR, answered.updatedAt)).toMatchObject({ kind: 'applied' });
    expect(await service.curate(answered.id, { action: 'promote' }, COORDINATOR, answered.updatedAt)).toMatchObject({
      kind: 'conflict',
      question: { curation: { standing: false } },
    });
  });

  it('never finds a hidden answer, and finds it again once unhidden', async () => {
    const answered = await question('Hvordan bestiller jeg firmakort til nyansatte forskere?');
    expect((await found('bestiller firmakort nyansatte forskere')).map((match) => match.questionId)).toEqual([answered.id]);
    expect(await service.curate(answered.id, { action: 'hide' }, COORDINATOR)).toMatchObject({ kind: 'applied' });
    expect(await found('bestiller firmakort nyansatte forskere')).toEqual([]);
    expect(await service.curate(answered.id, { action: 'unhide' }, COORDINATOR)).toMatchObject({ kind: 'applied' });
    expect((await found('bestiller firmakort nyansatte forskere')).map((match) => match.questionId)).toEqual([answered.id]);
  });

  it('shows a standing answer first, finds it at the lower threshold, keeps it after the asker has their data deleted, and drops it again on demotion', async () => {
    const asker: Actor = { id: randomUUID(), name: 'Siri Sletter', email: 'siri@ntnu.example' };
    const text = 'Hvordan fører jeg utlegg for kurs og konferanse i utlandet';
    const standing = await question(text, 'Fast svar om utlegg', asker);
    const ordinary = await question('Hvordan fører jeg utlegg for kurs og konferanse i utlandet?', 'Vanlig svar');
    // Newer and as alike: without promotion the ordinary answer comes first.
    expect((await found(text)).map((match) => match.questionId)).toEqual([ordinary.id, standing.id]);
    expect(await service.curate(standing.id, { action: 'promote' }, COORDINATOR)).toMatchObject({ kind: 'applied', question: { curation: { standing: true } } });
    expect((await found(text)).map((match) => [match.questionId, match.standing])).toEqual([
      [standing.id, true],
      [ordinary.id, false],
    ]);

    // A message between the two thresholds finds only the standing answer.
    const loose = 'utlegg kurs reiseregning hotell fly taxi';
    const similarity = wordSetCosine(topicWords(loose), topicWords(text));
    expect(similarity).toBeGreaterThanOrEqual(STANDING_ANSWER_THRESHOLD);
    expect(similarity).toBeLessThan(SHARED_ANSWER_THRESHOLD);
    expect((await found(loose)).map((match) => match.questionId)).toEqual([standing.id]);

    await advisorQuestionsPersonalData(store).deleteForUser({ id: asker.id });
    service.dropSharedAnswers();
    const [kept] = await found(text);
    expect(kept?.questionId).toBe(standing.id);
    expect(JSON.stringify(kept)).not.toContain(asker.name);

    expect(await service.curate(standing.id, { action: 'demote' }, COORDINATOR)).toMatchObject({ kind: 'applied' });
    expect((await found(text)).map((match) => match.questionId)).toEqual([ordinary.id]);
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { QuestionConflictError, TableAdvisorQuestionStore, type AdvisorQuestionStore } from '../../src/advisorQuestions/advisorQuestionStore';
import { AdvisorQuestionService, QUESTION_MESSAGES, type SuggestionFromQuestion } from '../../src/advisorQuestions/advisorQuestionService';
import { availableQuestionActions } from '../../src/advisorQuestions/lifecycle';
import type { AdvisorQuestion } from '../../src/advisorQuestions/model';
import { parseAdvisorQuestionCommand } from '../../src/advisorQuestions/advisorQuestionCommands';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { ANONYMISED_ACTOR, type Actor } from '../../src/core/actor';
import { TableOutboxStore } from '../../src/delivery/outbox';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { advisorQuestionsPersonalData } from '../../src/privacy/advisorQuestionsPersonalData';
import { Understander } from '../../src/understanding/understandTurn';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/** The questions to the advisors, with every store in Azurite. */

const ASKER: Actor = { id: 'kari', name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const OUTSIDER: Actor = { id: 'ola', name: 'Ola Utenfor', email: 'ola.utenfor@ntnu.example' };
/** The Btb advisor a question from IDI goes to when no channel is registered (IDI has none of its own; IE's). */
const ADVISOR: Actor = { id: 'audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const BTB_MANAGER: Actor = { id: 'lene', name: 'Lene Kristiansen', email: 'lene.kristiansen@ntnu.example' };
const COORDINATOR: Actor = { id: 'gry', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' };
const nowhere = { conversationId: null };

const form = (overrides: Record<string, string> = {}) => ({ process: 'BTB', unit: 'IDI', text: `Hvordan ${randomUUID()}?`, shareable: 'true', ...overrides });

describe('questions to the advisors', () => {
  let index: DirectoryIndex;
  let prefix: string;
  let store: TableAdvisorQuestionStore;
  let outbox: TableOutboxStore;
  let service: AdvisorQuestionService;
  const converted: Array<{ id: string; by: string; potential: string | null }> = [];
  const toSuggestion: SuggestionFromQuestion = (question, by, potential) => {
    converted.push({ id: question.id, by: by.id, potential });
    return Promise.resolve('FF-2026-0042');
  };

  const asked = async (overrides: Record<string, string> = {}, by: Actor = ASKER): Promise<AdvisorQuestion> => {
    const result = await service.ask(form(overrides), by, randomUUID(), 'nb');
    if (result.kind !== 'submitted') throw new Error(`not submitted: ${result.kind}`);
    return result.question;
  };

  beforeAll(async () => {
    index = await seededDirectoryIndex();
    prefix = uniqueTablePrefix('askq');
    store = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}questions`);
    outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    service = new AdvisorQuestionService({
      directory: () => index,
      store,
      registrations: await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: new Set(),
      toSuggestion,
    });
  });

  it('gives the form back with every problem marked and the values kept, storing nothing', async () => {
    const result = await service.ask({ process: 'XYZ', unit: '', text: 'x'.repeat(2001), shareable: 'false' }, ASKER, randomUUID(), 'nb');
    expect(result).toEqual({
      kind: 'invalid',
      problems: { process: 'unknown-process', unit: 'required', text: 'too-long' },
      values: { process: 'XYZ', unit: '', text: 'x'.repeat(2001), shareable: 'false' },
    });
    expect(await service.mine(ASKER.id)).toEqual([]);
  });

  it('numbers questions SP-yyyy-nnnn per year, once per submission, and routes each by the process rules', async () => {
    const key = randomUUID();
    const [first, again] = await Promise.all([service.ask(form(), ASKER, key, 'nb'), service.ask(form(), ASKER, key, 'nb')]);
    expect(first.kind === 'submitted' && again.kind === 'submitted' && first.question.id === again.question.id).toBe(true);
    const local = first.kind === 'submitted' ? first.question : null;
    expect(local?.id).toMatch(new RegExp(`^SP-${new Date().getUTCFullYear()}-\\d{4}$`));
    expect(local?.route).toMatchObject({ level: 'local', target: { kind: 'people', people: [{ email: ADVISOR.email }] } });
    // Another's submission key shows nothing of the question.
    expect(await service.ask(form(), OUTSIDER, key, 'nb')).toEqual({ kind: 'outsider' });

    const payroll = await asked({ process: 'LONN' });
    expect(payroll.route.level).toBe('service-centre');
    expect(payroll.route.target.kind === 'people' && payroll.route.target.people.map((person) => person.name)).toEqual([
      'Torill Johannessen',
      'Tor Asbjørn Thomassen',
      'Hilde Vik',
    ]);
    const central = await asked({ process: 'FTI' });
    expect(central.route).toMatchObject({ level: 'process-manager', target: { kind: 'people', people: [{ email: 'thomas.jensen@ntnu.example' }] } });

    const routed = (await outbox.list({ kind: QUESTION_MESSAGES.route })).map((message) => message.payload as { questionId: string; recipient: string });
    expect(routed.filter((payload) => payload.questionId === local?.id)).toEqual([{ questionId: local?.id, recipient: ADVISOR.email }]);
    expect(routed.filter((payload) => payload.questionId === payroll.id)).toHaveLength(3);
  });

  it('shows a question only to its asker and its handlers, and refuses every action to an outsider without a word of it', async () => {
    const question = await asked();
    expect(await service.read(question.id, ASKER, nowhere)).toMatchObject({ kind: 'shown', standing: { asker: true, handler: false } });
    expect(await service.read(question.id, ADVISOR, nowhere)).toMatchObject({ kind: 'shown', standing: { asker: false, handler: true } });
    expect(await service.read(question.id, BTB_MANAGER, nowhere)).toMatchObject({ kind: 'shown', standing: { handler: true } });
    expect(await service.read(question.id, COORDINATOR, nowhere)).toMatchObject({ kind: 'shown', standing: { handler: true } });
    expect(await service.read(question.id, OUTSIDER, nowhere)).toEqual({ kind: 'outsider' });
    for (const action of ['take', 'answer', 'forward', 'convert', 'withdraw'] as const) {
      expect(await service.act(question.id, action, OUTSIDER, nowhere, { comment: 'x', language: 'nb' }), action).toEqual({ kind: 'outsider' });
    }
    // The asker cannot handle their own question, only withdraw it.
    expect(await service.act(question.id, 'answer', ASKER, nowhere, { comment: 'Svar', language: 'nb' })).toMatchObject({ kind: 'refused', reason: 'outsider' });
    expect((await service.get(question.id))?.state).toBe('submitted');
    expect(converted).toEqual([]);
  });

  it('takes and answers a question, the answer kept with who and when, and the asker told of each step', async () => {
    const question = await asked();
    expect(await service.act(question.id, 'take', ADVISOR, nowhere, { comment: null, language: 'nb' })).toMatchObject({
      kind: 'applied',
      question: { state: 'taken', assignee: ADVISOR },
    });
    expect(await service.act(question.id, 'answer', ADVISOR, nowhere, { comment: '  ', language: 'nb' })).toMatchObject({ kind: 'comment-required' });
    const answered = await service.act(question.id, 'answer', ADVISOR, nowhere, { comment: 'Bruk bestillingsmalen i Unit4.', language: 'nb' });
    expect(answered).toMatchObject({ kind: 'applied', question: { state: 'answered', answer: { text: 'Bruk bestillingsmalen i Unit4.', by: ADVISOR } } });
    expect(answered.kind === 'applied' && availableQuestionActions(answered.question, { asker: true, handler: true })).toEqual([]);
    const notified = (await outbox.list({ kind: QUESTION_MESSAGES.notify })).filter((message) => message.id.startsWith(`question-notify:${question.id}:`));
    expect(notified.map((message) => message.payload)).toEqual([
      { questionId: question.id, historyIndex: 1 },
      { questionId: question.id, historyIndex: 2 },
    ]);
  });

  it('forwards to the process manager, who may then act on it, and never forwards a central question', async () => {
    const question = await asked();
    const forwarded = await service.act(question.id, 'forward', ADVISOR, nowhere, { comment: null, language: 'nb' });
    expect(forwarded).toMatchObject({
      kind: 'applied',
      question: { state: 'forwarded', delivered: false, route: { level: 'process-manager', target: { people: [{ email: BTB_MANAGER.email }] } } },
    });
    const routes = (await outbox.list({ kind: QUESTION_MESSAGES.route })).filter((message) => message.id.startsWith(`question-route:${question.id}:1:`));
    expect(routes.map((message) => message.payload)).toEqual([{ questionId: question.id, recipient: BTB_MANAGER.email }]);
    expect(await service.act(question.id, 'answer', BTB_MANAGER, nowhere, { comment: 'Svar fra prosessansvarlig', language: 'nb' })).toMatchObject({ kind: 'applied' });

    const central = await asked({ process: 'FTI' });
    expect(await service.act(central.id, 'forward', COORDINATOR, nowhere, { comment: null, language: 'nb' })).toMatchObject({ kind: 'refused', reason: 'not-for-process' });
  });

  it('turns a question into an improvement suggestion filed by the handler, and links the two', async () => {
    const question = await asked();
    const result = await service.act(question.id, 'convert', ADVISOR, nowhere, { comment: 'Gjelder alle institutter', language: 'nb' });
    expect(result).toMatchObject({ kind: 'applied', question: { state: 'converted', suggestionId: 'FF-2026-0042' } });
    expect(result.kind === 'applied' && result.question.history.at(-1)).toMatchObject({ action: 'convert', suggestionId: 'FF-2026-0042', by: ADVISOR });
    expect(converted).toEqual([{ id: question.id, by: ADVISOR.id, potential: 'Gjelder alle institutter' }]);
  });

  it('leaves the question as it was when the suggestion cannot be filed', async () => {
    const failing = new AdvisorQuestionService({
      directory: () => index,
      store,
      registrations: await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: new Set(),
      toSuggestion: () => Promise.reject(new Error('the suggestion store is unavailable')),
    });
    const question = await asked();
    await expect(failing.act(question.id, 'convert', ADVISOR, nowhere, { comment: null, language: 'nb' })).rejects.toThrow('unavailable');
    expect(await service.get(question.id)).toMatchObject({ state: 'submitted', suggestionId: null, history: [{ action: 'submitted' }] });
  });

  it('lets the asker withdraw an open question and list their own, newest first', async () => {
    const older = await asked({}, { ...ASKER, id: 'per' });
    const newer = await asked({}, { ...ASKER, id: 'per' });
    expect(await service.act(newer.id, 'withdraw', { ...ASKER, id: 'per' }, nowhere, { comment: null, language: 'nb' })).toMatchObject({
      kind: 'applied',
      question: { state: 'withdrawn' },
    });
    expect((await service.mine('per')).map((question) => question.id)).toEqual([newer.id, older.id]);
    expect(await service.act(newer.id, 'withdraw', { ...ASKER, id: 'per' }, nowhere, { comment: null, language: 'nb' })).toMatchObject({ kind: 'refused', reason: 'wrong-state' });
  });

  it('lets the first of two actions on one version win and tells the second who came first', async () => {
    const question = await asked();
    const basedOn = question.updatedAt;
    const first = await service.act(question.id, 'take', ADVISOR, nowhere, { comment: null, basedOn, language: 'nb' });
    expect(first.kind).toBe('applied');
    const second = await service.act(question.id, 'answer', COORDINATOR, nowhere, { comment: 'Svar', basedOn, language: 'nb' });
    expect(second).toMatchObject({ kind: 'conflict', lastChange: { action: 'take', by: ADVISOR } });
    const stored = await store.get(question.id);
    if (!stored) throw new Error('stored');
    await store.update({ ...stored.question, text: 'first' }, stored.etag);
    await expect(store.update({ ...stored.question, text: 'second' }, stored.etag)).rejects.toBeInstanceOf(QuestionConflictError);
  });

  it('resumes the routing of every open question not yet delivered', async () => {
    const question = await asked();
    expect(await service.resumeUndelivered()).toBeGreaterThan(0);
    await service.recordPosting(question.id, { recipient: ADVISOR.email as string, conversationId: 'a:audun', activityId: 'm1' });
    expect((await service.get(question.id))?.delivered).toBe(true);
    const waiting = (await store.list()).filter((q) => !q.delivered && !['answered', 'converted', 'withdrawn'].includes(q.state)).length;
    expect(await service.resumeUndelivered()).toBe(waiting);
  });

  it('"slett mine data" removes the asker from their questions and leaves everyone else\'s', async () => {
    const holder = advisorQuestionsPersonalData(store);
    const mine = await asked({}, { ...ASKER, id: 'siri' });
    await service.act(mine.id, 'withdraw', { ...ASKER, id: 'siri' }, nowhere, { comment: null, language: 'nb' });
    const others = await asked();
    expect(holder.tables).toEqual([`${prefix}questions`]);
    expect((await holder.findForUser({ id: 'siri' })).map((question) => question.id)).toEqual([mine.id]);
    expect(await holder.deleteForUser({ id: 'siri' })).toEqual([mine.id]);
    const anonymised = await service.get(mine.id);
    expect(anonymised?.asker).toEqual(ANONYMISED_ACTOR);
    expect(anonymised?.history.map((entry) => entry.by)).toEqual([ANONYMISED_ACTOR, ANONYMISED_ACTOR]);
    expect(anonymised?.text).toBe(mine.text);
    expect((await service.get(others.id))?.asker).toEqual(ASKER);
    expect(await holder.deleteForUser({ id: 'siri' })).toEqual([]);
  });

  it('understands "mine spørsmål" in every language, and nothing else as it', () => {
    const understander = Understander.for(index);
    for (const text of ['mine spørsmål', 'vis mine spørsmål', 'Mine spørsmål!', 'spørsmåla mine', 'show my questions']) {
      expect(parseAdvisorQuestionCommand(understander.read(text)), text).toEqual({ kind: 'mine' });
    }
    for (const text of ['mine forslag', 'hvem er min prosessrådgiver?', 'jeg har et spørsmål om Btb', 'who answers my questions about budgeting?']) {
      expect(parseAdvisorQuestionCommand(understander.read(text)), text).toBeNull();
    }
  });
});

describe("an action on a question while the delivery records the card's posting", () => {
  it('is applied, not refused as a conflict', async () => {
    const prefix = uniqueTablePrefix('askrace');
    const table = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}questions`);
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    let interleave: (() => Promise<unknown>) | null = null;
    const store: AdvisorQuestionStore = {
      create: (input) => table.create(input),
      get: (id) => table.get(id),
      findBySubmission: (key) => table.findBySubmission(key),
      list: () => table.list(),
      update: async (question, etag) => {
        const before = interleave;
        interleave = null;
        if (before) await before();
        return table.update(question, etag);
      },
    };
    const index = await seededDirectoryIndex();
    const service = new AdvisorQuestionService({
      directory: () => index,
      store,
      registrations: await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: new Set(),
      toSuggestion: () => Promise.reject(new Error('not converted here')),
    });
    const asked = await service.ask(form(), ASKER, randomUUID(), 'nb');
    if (asked.kind !== 'submitted') throw new Error(asked.kind);
    const id = asked.question.id;

    interleave = () => service.recordPosting(id, { recipient: ADVISOR.email as string, conversationId: 'a:audun', activityId: 'm1' });
    const result = await service.act(id, 'answer', ADVISOR, nowhere, { comment: 'Svar', basedOn: asked.question.updatedAt, language: 'nb' });
    expect(result).toMatchObject({ kind: 'applied', question: { state: 'answered', delivered: true, postings: [{ activityId: 'm1' }] } });
  });
});

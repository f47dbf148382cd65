import { randomUUID } from 'node:crypto';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisorQuestionService } from '../../src/advisorQuestions/advisorQuestionService';
import { TableAdvisorQuestionStore } from '../../src/advisorQuestions/advisorQuestionStore';
import type { AdvisorQuestion } from '../../src/advisorQuestions/model';
import type { QuestionReminderPayload } from '../../src/advisorQuestions/questionFollowUp';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import type { OutboxMessage } from '../../src/delivery/outbox';
import { DirectoryService } from '../../src/directory/directoryService';
import { TableDirectoryStore } from '../../src/directory/directoryStore';
import { ensureSeeded } from '../../src/directory/seedDirectory';
import { createLogger } from '../../src/logger';
import { advisorQuestionDeliveryJobs } from '../../src/teams/advisorQuestions/advisorQuestionDelivery';
import { StandInConnector } from '../support/standInConnector';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const logger = createLogger('silent');
const ADVISOR = { id: 'audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };

/** The reminder job of the outbox, against Azurite and a stand-in Teams connector: each way it can end. */
describe('delivering a reminder about an unanswered question', () => {
  const connector = new StandInConnector();
  let deliver: (payload: QuestionReminderPayload) => ReturnType<ReturnType<typeof advisorQuestionDeliveryJobs>['advisor-question-reminder']['deliver']>;
  let store: TableAdvisorQuestionStore;
  let question: AdvisorQuestion;
  const advisorChat = `a:${randomUUID()}`;

  beforeAll(async () => {
    await connector.start();
    const prefix = uniqueTablePrefix('qrd');
    const directoryStore = await TableDirectoryStore.open(testConnectionString(), `${prefix}directory`);
    const directory = new DirectoryService(directoryStore, await ensureSeeded(directoryStore), logger);
    const conversations = await TableConversationStore.open(testConnectionString(), `${prefix}conversations`);
    const registrations = await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`);
    await conversations.remember({
      conversationId: advisorChat,
      kind: 'personal',
      reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: advisorChat, conversationType: 'personal' }, bot: { id: '28:bot', name: 'Bot' } },
      user: ADVISOR,
      updatedAt: new Date().toISOString(),
    });
    store = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}questions`);
    const service = new AdvisorQuestionService({
      directory: () => directory.index,
      store,
      registrations,
      outbox: { enqueue: async () => undefined, kick: async () => undefined },
      coordinators: new Set(),
      toSuggestion: () => Promise.resolve('FF-2026-0001'),
    });
    const asked = await service.ask({ process: 'BTB', unit: 'IDI', text: 'Hvordan?', shareable: 'false' }, { id: 'kari', name: 'Kari Ansatt' }, randomUUID(), 'nb');
    if (asked.kind !== 'submitted') throw new Error(asked.kind);
    question = asked.question;
    const jobs = advisorQuestionDeliveryJobs({ adapter: new TeamsAdapter({}), botAppId: '', service, directory, conversations, registrations, logger });
    deliver = (payload) =>
      jobs['advisor-question-reminder'].deliver({ id: randomUUID(), kind: 'advisor-question-reminder', payload } as OutboxMessage<QuestionReminderPayload>, {
        recordProgress: async () => undefined,
      });
  });
  afterAll(async () => connector.stop());

  const payload = (recipient: QuestionReminderPayload['recipient'], quietSince = question.createdAt): QuestionReminderPayload => ({
    questionId: question.id,
    quietSince,
    foundAt: new Date().toISOString(),
    recipient,
  });

  it('sends the reminder with the card to the advisor who has the bot', async () => {
    expect((await deliver(payload({ kind: 'person', email: ADVISOR.email }))).kind).toBe('delivered');
    const sent = JSON.stringify(connector.messagesIn(advisorChat));
    expect(sent).toContain(`Påminnelse: spørsmålet ${question.id} har ventet på svar i 0 virkedager`);
    expect(sent).toContain('"verb":"advisorQuestionAction"');
  });

  it('waits for a recipient without the bot or an unknown channel, and fails for a question that does not exist', async () => {
    expect(await deliver(payload({ kind: 'person', email: 'ny.person@ntnu.example' }))).toMatchObject({ kind: 'retry', error: expect.stringContaining('no personal chat') });
    expect(await deliver(payload({ kind: 'channel', conversationId: '19:unknown@thread.tacv2' }))).toMatchObject({
      kind: 'retry',
      error: expect.stringContaining('no conversation reference'),
    });
    expect(await deliver({ ...payload({ kind: 'person', email: ADVISOR.email }), questionId: 'SP-2099-9999' })).toMatchObject({ kind: 'failed' });
  });

  it('sends nothing once the wait it was about is over: a later step, or an answer', async () => {
    const before = connector.messagesIn(advisorChat).length;
    expect(await deliver(payload({ kind: 'person', email: ADVISOR.email }, '2020-01-01T00:00:00.000Z'))).toEqual({ kind: 'delivered', result: 'no longer waiting' });
    const stored = await store.get(question.id);
    if (!stored) throw new Error('gone');
    await store.update({ ...stored.question, state: 'answered' }, stored.etag);
    expect(await deliver(payload({ kind: 'person', email: ADVISOR.email }))).toEqual({ kind: 'delivered', result: 'no longer waiting' });
    expect(connector.messagesIn(advisorChat)).toHaveLength(before);
  });
});

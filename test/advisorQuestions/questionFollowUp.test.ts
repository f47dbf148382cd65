import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TableAdvisorQuestionStore } from '../../src/advisorQuestions/advisorQuestionStore';
import type { AdvisorQuestion } from '../../src/advisorQuestions/model';
import { countQuestionsForDigest, type QuestionReminderPayload } from '../../src/advisorQuestions/questionFollowUp';
import { QuestionReminderScheduler } from '../../src/advisorQuestions/questionReminderScheduler';
import type { Actor } from '../../src/core/actor';
import { TableOutboxStore } from '../../src/delivery/outbox';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { createLogger } from '../../src/logger';
import type { Route } from '../../src/routing/processRoutes';
import type { DigestPayload } from '../../src/suggestions/followUp';
import { FollowUpScheduler } from '../../src/suggestions/followUpScheduler';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const asker: Actor = { id: 'u-kari', name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const advisor: Actor = { id: 'u-audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const CHANNEL = '19:pbo-ie@thread.tacv2';
const channelRoute: Route = { target: { kind: 'channel', registrationKey: 'PBO|IE', conversationId: CHANNEL, label: 'PBO-teamet IE' }, level: 'local', unitCode: 'IE' };
const peopleRoute: Route = {
  target: {
    kind: 'people',
    people: [
      { name: 'Audun Brekke', email: 'Audun.Brekke@ntnu.example' },
      { name: 'Ane Advisor', email: 'ane@ntnu.example' },
    ],
    label: 'Audun',
  },
  level: 'local',
  unitCode: 'IE',
};

/** Tuesday 31 March 2026, 10:00 in Oslo: three working days later is Wednesday 8 April (Easter in between). */
const ASKED = new Date('2026-03-31T08:00:00Z');
const DUE = new Date('2026-04-08T08:00:00Z');

describe('reminders about unanswered questions to the advisors, with Azurite', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  async function setUp() {
    const prefix = uniqueTablePrefix('qfu');
    const store = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}questions`);
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    const port = { enqueue: (message: Parameters<TableOutboxStore['enqueue']>[0]) => outbox.enqueue(message), kick: async () => undefined };
    const scheduler = new QuestionReminderScheduler({ questions: store, outbox: port, workingDays: 3, logger: createLogger('silent') });
    const reminders = async () =>
      (await outbox.list({ kind: 'advisor-question-reminder' })).map((message) => ({ id: message.id, payload: message.payload as QuestionReminderPayload }));
    /** Stores a question asked at `at`, then changes it as a later update would. */
    const store1 = async (at: Date, route: Route, change?: (question: AdvisorQuestion) => Partial<AdvisorQuestion>): Promise<AdvisorQuestion> => {
      const { stored } = await store.create({
        draft: { process: 'PBO', unit: 'IDI', text: 'Hvordan?', shareable: false },
        asker,
        route,
        now: at,
        language: 'nb',
        idempotencyKey: randomUUID(),
      });
      return change ? (await store.update({ ...stored.question, ...change(stored.question) }, stored.etag)).question : stored.question;
    };
    return { store, outbox, port, scheduler, reminders, store1 };
  }

  const posted = (recipient: string, conversationId: string) => ({ postings: [{ recipient, conversationId, activityId: 'a1' }], delivered: true });
  const step = (question: AdvisorQuestion, at: Date, action: 'take' | 'answer' | 'forward' | 'withdraw', to: AdvisorQuestion['state']) => ({
    state: to,
    ...(action === 'take' ? { assignee: advisor } : {}),
    history: [...question.history, { at: at.toISOString(), by: action === 'withdraw' ? asker : advisor, action, from: question.state, to, comment: null }],
  });

  it('reminds the channel or the advisors the card reached after the configured working days, not before, and once per step', async () => {
    const { scheduler, reminders, store1 } = await setUp();
    const inChannel = await store1(ASKED, channelRoute, () => posted(`channel:${CHANNEL}`, CHANNEL));
    // Routed to two advisors one to one; the card has reached only one of them.
    const toPeople = await store1(ASKED, peopleRoute, () => ({ ...posted('audun.brekke@ntnu.example', 'a:audun'), delivered: false }));

    // A minute before the third working day is over (the calendar says 8 days, Easter took 4 of them): nothing.
    expect(await scheduler.runOnce(new Date(DUE.getTime() - 60_000))).toBe(0);
    expect(await reminders()).toEqual([]);

    expect(await scheduler.runOnce(DUE)).toBe(2);
    await scheduler.runOnce(new Date(DUE.getTime() + 86_400_000));
    const sent = await reminders();
    expect(sent).toHaveLength(2);
    expect(sent.find((reminder) => reminder.payload.questionId === inChannel.id)?.payload).toMatchObject({
      recipient: { kind: 'channel', conversationId: CHANNEL },
      quietSince: ASKED.toISOString(),
      foundAt: DUE.toISOString(),
    });
    expect(sent.find((reminder) => reminder.payload.questionId === toPeople.id)?.payload.recipient).toEqual({ kind: 'person', email: 'audun.brekke@ntnu.example' });
  });

  it('reminds the advisor who took it, counting from when they took it, and never about answered, forwarded or withdrawn ones', async () => {
    const { scheduler, reminders, store1 } = await setUp();
    const takenAt = new Date('2026-04-01T08:00:00Z');
    const taken = await store1(ASKED, channelRoute, (q) => ({ ...posted(`channel:${CHANNEL}`, CHANNEL), ...step(q, takenAt, 'take', 'taken') }));
    for (const [action, to] of [
      ['answer', 'answered'],
      ['forward', 'forwarded'],
      ['withdraw', 'withdrawn'],
    ] as const) {
      await store1(ASKED, channelRoute, (q) => ({ ...posted(`channel:${CHANNEL}`, CHANNEL), ...step(q, ASKED, action, to) }));
    }
    // Three working days after submission, but only two after it was taken (1 April → 7, 8 April).
    expect(await scheduler.runOnce(DUE)).toBe(0);
    // Thursday 9 April 10:00: three working days after it was taken.
    expect(await scheduler.runOnce(new Date('2026-04-09T08:00:00Z'))).toBe(1);
    expect((await reminders()).map((reminder) => reminder.payload)).toEqual([
      { questionId: taken.id, quietSince: takenAt.toISOString(), foundAt: '2026-04-09T08:00:00.000Z', recipient: { kind: 'assignee', id: advisor.id, email: advisor.email } },
    ]);
  });

  it("counts the unanswered, the overdue and the forwarded questions in the coordinators' weekly digest", async () => {
    const { store, outbox, port, store1 } = await setUp();
    await store1(ASKED, channelRoute);
    await store1(new Date('2026-04-07T08:00:00Z'), channelRoute);
    await store1(ASKED, channelRoute, (q) => step(q, ASKED, 'forward', 'forwarded'));
    await store1(ASKED, channelRoute, (q) => step(q, ASKED, 'answer', 'answered'));
    expect(countQuestionsForDigest(await store.list(), DUE, 3)).toEqual({ unanswered: 2, overdue: 1, forwarded: 1, reminderWorkingDays: 3 });

    const prefix = uniqueTablePrefix('qfd');
    const followUp = new FollowUpScheduler({
      suggestions: await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`),
      directory: () => index,
      outbox: port,
      coordinators: new Set(['gry-lene.johansen@ntnu.example']),
      reminderDays: 14,
      logger: createLogger('silent'),
    });
    followUp.includeQuestionsInDigest(async (now) => countQuestionsForDigest(await store.list(), now, 3));
    // Monday 13 April 08:30 in Oslo: the week's digest is due.
    await followUp.runOnce(new Date('2026-04-13T06:30:00Z'));
    const digests = (await outbox.list({ kind: 'suggestion-digest' })).map((message) => message.payload as DigestPayload);
    expect(digests.find((digest) => digest.coordinator === 'gry-lene.johansen@ntnu.example')?.digest.questions).toEqual({
      unanswered: 2,
      overdue: 2,
      forwarded: 1,
      reminderWorkingDays: 3,
    });
  });

  it('leaves the digest as it was when no questions are counted in it', async () => {
    const prefix = uniqueTablePrefix('qfn');
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    const followUp = new FollowUpScheduler({
      suggestions: await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`),
      directory: () => index,
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: new Set(['gry-lene.johansen@ntnu.example']),
      reminderDays: 14,
      logger: createLogger('silent'),
    });
    await followUp.runOnce(new Date('2026-04-13T06:30:00Z'));
    const [digest] = (await outbox.list({ kind: 'suggestion-digest' })).map((message) => message.payload as DigestPayload);
    expect(digest?.digest).not.toHaveProperty('questions');
  });
});

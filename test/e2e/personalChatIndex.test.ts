import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

describe("the index of a user's personal chat with the bot", () => {
  const prefix = uniqueTablePrefix('chatindex');
  let bot: BotUnderTest;
  let conversations: TableConversationStore;
  let submitter: NamedUser;
  let coordinator: NamedUser;

  beforeAll(async () => {
    bot = await startBotUnderTest({ TABLE_PREFIX: prefix, OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error' });
    conversations = await TableConversationStore.open(testConnectionString(), `${prefix}conversations`);
    submitter = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    await bot.post(personalMessage(bot, submitter, 'hei'));
    await bot.post(personalMessage(bot, coordinator, 'hei'));
  });
  afterAll(async () => bot.stop());

  it('is not moved by a card action from a one-to-one chat between two people, and notifications stay in the chat with the bot', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm()))));
    expect((await conversations.personalChatOf({ id: submitter.aadObjectId }))?.conversationId).toBe(submitter.conversationId);

    // The suggestion's card, copied into a chat between Kari and a colleague (Teams calls that personal too), clicked there.
    const chatBetweenPeople = { id: `a:${randomUUID()}`, conversationType: 'personal' };
    const clicked = await bot.post(cardAction(bot, submitter, 'refreshSuggestion', { id, lang: 'nb' }, chatBetweenPeople));
    expect(clicked.status).toBe(200);
    expect((await conversations.personalChatOf({ id: submitter.aadObjectId }))?.conversationId).toBe(submitter.conversationId);
    expect((await conversations.personalChatOf({ email: submitter.email }))?.conversationId).toBe(submitter.conversationId);
    expect(await conversations.get(chatBetweenPeople.id)).toBeNull();

    // A change to the suggestion is told in Kari's chat with the bot, not in the other chat.
    const taken = invokeCard(
      await bot.post(
        cardAction(bot, coordinator, 'suggestionAction', { id, action: 'take', view: 'handler', lang: 'nb' }, { id: coordinator.conversationId, conversationType: 'personal' }),
      ),
    );
    expect(taken).toContain('Under vurdering');
    await waitFor(() => JSON.stringify(bot.connector.messagesIn(submitter.conversationId)).includes(`${id} er nå: Under vurdering`), 15_000, 'the notification');
    expect(bot.connector.messagesIn(chatBetweenPeople.id)).toEqual([]);
  });

  it('is made from the installation of the bot, before any message', async () => {
    const newcomer = namedUser(bot, 'Nils Ny', 'nils.ny@ntnu.example');
    const installed = await bot.post({
      ...personalMessage(bot, newcomer, ''),
      type: 'installationUpdate',
      action: 'add',
      text: undefined,
    });
    expect(installed.status).toBeLessThan(300);
    expect((await conversations.personalChatOf({ id: newcomer.aadObjectId }))?.conversationId).toBe(newcomer.conversationId);
  });

  it('is not made from a card action alone', async () => {
    const stranger = namedUser(bot, 'Siri Ukjent', 'siri.ukjent@ntnu.example');
    await bot.post(cardAction(bot, stranger, 'refreshSuggestion', { id: 'FF-2026-9999', lang: 'nb' }));
    expect(await conversations.personalChatOf({ id: stranger.aadObjectId })).toBeNull();
  });
});

describe('storing the conversation reference', () => {
  const prefix = uniqueTablePrefix('chatref');
  let bot: BotUnderTest;
  let conversations: TableConversationStore;

  beforeAll(async () => {
    bot = await startBotUnderTest({ TABLE_PREFIX: prefix, LOG_LEVEL: 'error' });
    conversations = await TableConversationStore.open(testConnectionString(), `${prefix}conversations`);
  });
  afterAll(async () => bot.stop());

  it("writes it on a user's first message, not again while it is the same, and again when it changed", async () => {
    const kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    await bot.post(personalMessage(bot, kari, 'hei'));
    const first = await conversations.get(kari.conversationId);
    expect(first?.user).toEqual({ id: kari.aadObjectId, name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' });

    await bot.post(personalMessage(bot, kari, 'hvem er prosessrådgiver for PBO ved IIK?'));
    expect((await conversations.get(kari.conversationId))?.updatedAt).toBe(first?.updatedAt);

    // Her name changed in Entra ID: the stored chat says who she is now.
    await bot.post(personalMessage(bot, { ...kari, name: 'Kari Nordmann' }, 'takk'));
    expect((await conversations.get(kari.conversationId))?.user?.name).toBe('Kari Nordmann');
  });
});

/**
 * "slett mine data" over HTTP with real Teams activities: the confirmation
 * card, cancelling, a confirmation by someone else, the channel refusal, and
 * the deletion itself, checked in the tables the app uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { TableReminderStore } from '../../src/announcements/remindersStore';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { PRIVACY_VERB } from '../../src/teams/privacy/privacyHandlers';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, type NamedUser } from '../support/teamsUsers';

describe('deleting one\'s personal data from chat', () => {
  const prefix = uniqueTablePrefix('privacy');
  let bot: BotUnderTest;
  let kari: NamedUser;
  let ola: NamedUser;
  let stores: {
    profiles: TableUserProfileStore;
    subscriptions: TableSubscriptionStore;
    reminders: TableReminderStore;
    conversations: TableConversationStore;
    suggestions: TableSuggestionStore;
  };
  let suggestionId: string;

  const lastMessage = (user: NamedUser) => JSON.stringify(bot.connector.messagesIn(user.conversationId).at(-1));
  const say = async (user: NamedUser, text: string) => {
    const { status } = await bot.post(personalMessage(bot, user, text));
    expect(status).toBeLessThan(300);
    return lastMessage(user);
  };
  /** Kari's data is all still there. */
  const expectKariKept = async () => {
    expect((await stores.profiles.get(kari.aadObjectId))?.unitCode).toBe('IDI');
    expect((await stores.subscriptions.get(kari.aadObjectId)).roles).toEqual(['prosjektokonom']);
    expect(await stores.conversations.personalChatOf({ id: kari.aadObjectId })).not.toBeNull();
    expect((await stores.suggestions.get(suggestionId))?.suggestion.submitter.name).toBe('Kari Ansatt');
  };

  beforeAll(async () => {
    bot = await startBotUnderTest({ TABLE_PREFIX: prefix, LOG_LEVEL: 'error' });
    const storage = testConnectionString();
    stores = {
      profiles: await TableUserProfileStore.open(storage, `${prefix}userprofiles`),
      subscriptions: await TableSubscriptionStore.open(storage, `${prefix}subscriptions`),
      reminders: await TableReminderStore.open(storage, `${prefix}eventreminders`),
      conversations: await TableConversationStore.open(storage, `${prefix}conversations`),
      suggestions: await TableSuggestionStore.open(storage, `${prefix}suggestions`),
    };
    kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    ola = namedUser(bot, 'Ola Kollega', 'ola.kollega@ntnu.example');
    await say(kari, 'jeg jobber på IDI');
    await say(kari, 'jeg er prosjektøkonom');
    await say(ola, 'jeg jobber på IE');
    suggestionId = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, kari, 'submitSuggestion', suggestionForm({ mayContact: 'true' })))));
    await stores.reminders.save({ announcementId: 'KU-2026-0001', userId: kari.aadObjectId, choice: 'day-before', language: 'nb', dueAt: '2026-12-01T08:00:00.000Z', requestedAt: new Date().toISOString() });
    await stores.reminders.save({ announcementId: 'KU-2026-0001', userId: ola.aadObjectId, choice: 'day-before', language: 'nb', dueAt: '2026-12-01T08:00:00.000Z', requestedAt: new Date().toISOString() });
    await expectKariKept();
  });
  afterAll(async () => bot.stop());

  it('asks for confirmation first, in bokmål, naming what goes and what stays', async () => {
    const card = await say(kari, 'Slett mine data');
    expect(card).toContain('Vil du slette dataene dine?');
    expect(card).toContain('prosessrollene og abonnementene dine');
    expect(card).toContain('uten navnet og e-postadressen din');
    expect(card).toContain(`"verb":"${PRIVACY_VERB.confirmDeletion}"`);
    expect(card).toContain(`"verb":"${PRIVACY_VERB.cancelDeletion}"`);
    expect(card).toContain(`"requester":"${kari.aadObjectId}"`);
    await expectKariKept();
  });

  it('understands nynorsk and English, and answers each in its own language', async () => {
    const nynorsk = await say(kari, 'slett dataa mine');
    expect(nynorsk).toContain('Vil du slette dataa dine?');
    expect(nynorsk).toContain('"lang":"nn"');
    const english = await say(kari, 'Delete my data, please');
    expect(english).toContain('Delete your data?');
    expect(english).toContain('Yes, delete my data');
    await expectKariKept();
  });

  it('deletes nothing when cancelled', async () => {
    const card = invokeCard(await bot.post(cardAction(bot, kari, PRIVACY_VERB.cancelDeletion, { lang: 'nb', requester: kari.aadObjectId })));
    expect(card).toContain('Ingenting er slettet');
    await expectKariKept();
  });

  it('refuses a confirmation from anyone but the person who asked', async () => {
    const response = await bot.post(cardAction(bot, ola, PRIVACY_VERB.confirmDeletion, { lang: 'nb', requester: kari.aadObjectId }));
    expect(invokeCard(response)).toContain('Bare den som ba om slettingen, kan bekrefte den. Ingenting er slettet.');
    await expectKariKept();
    expect((await stores.profiles.get(ola.aadObjectId))?.unitCode).toBe('IE');
  });

  it('refuses a broken card without deleting anything', async () => {
    const response = await bot.post(cardAction(bot, kari, PRIVACY_VERB.confirmDeletion, { lang: 'nb' }));
    expect(invokeCard(response)).toContain('Noe gikk galt med kortet');
    await expectKariKept();
  });

  it('only does it in a personal chat', async () => {
    const channel = testChannel('Økonomi generelt');
    await bot.post(channelMessage(bot, kari, channel, 'slett mine data'));
    expect(JSON.stringify(bot.connector.messagesIn(channel.id))).toContain('bare når du ber om det i en personlig chat med meg');
    await expectKariKept();
  });

  it('deletes the asker\'s data on confirmation and keeps their suggestion for the process team without them', async () => {
    const card = invokeCard(await bot.post(cardAction(bot, kari, PRIVACY_VERB.confirmDeletion, { lang: 'nb', requester: kari.aadObjectId })));
    expect(card).toContain('Dataene dine er slettet');
    expect(card).toContain('Jeg har slettet enheten du hadde oppgitt, prosessrollene og abonnementene dine, 1 påminnelse og det jeg hadde lagret om chatten vår.');
    expect(card).toContain(`Navnet og e-postadressen din er fjernet fra forbedringsforslaget ${suggestionId}`);

    expect(await stores.profiles.get(kari.aadObjectId)).toBeNull();
    expect((await stores.subscriptions.get(kari.aadObjectId)).updatedAt).toBeNull();
    expect(await stores.reminders.get('KU-2026-0001', kari.aadObjectId, 'day-before')).toBeNull();
    expect(await stores.conversations.personalChatOf({ id: kari.aadObjectId })).toBeNull();
    expect(await stores.conversations.personalChatOf({ email: kari.email })).toBeNull();
    const kept = (await stores.suggestions.get(suggestionId))?.suggestion;
    expect(kept?.title).toMatch(/^Forslag /);
    expect(kept?.mayContact).toBe(false);
    const stored = JSON.stringify(kept);
    expect(stored).not.toContain('Kari');
    expect(stored).not.toContain(kari.email);
    expect(stored).not.toContain(kari.aadObjectId);

    // Others are untouched.
    expect((await stores.profiles.get(ola.aadObjectId))?.unitCode).toBe('IE');
    expect(await stores.reminders.get('KU-2026-0001', ola.aadObjectId, 'day-before')).not.toBeNull();
    expect(await stores.conversations.personalChatOf({ id: ola.aadObjectId })).not.toBeNull();
  });

  it('finds nothing left the second time, and no longer lists the suggestion as hers', async () => {
    expect(await say(kari, 'mine forslag')).toContain('Du har ikke sendt inn noen forbedringsforslag ennå');
    const card = invokeCard(await bot.post(cardAction(bot, kari, PRIVACY_VERB.confirmDeletion, { lang: 'en', requester: kari.aadObjectId })));
    expect(card).toContain('Your data has been deleted');
    // Writing to the bot stored the chat again; nothing else was there.
    expect(card).toContain('I have deleted what I had stored about our chat.');
    expect(card).not.toContain('improvement suggestion');
  });
});

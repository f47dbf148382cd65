/**
 * "slett mine data" over HTTP with real Teams activities: the confirmation
 * card, cancelling, a confirmation by someone else, the channel refusal, and
 * the deletion itself, checked in the tables the app uses: after a reminder
 * went out to the user (an outbox message delivered, a broadcast that reached
 * their chat), no row of any table holds their id, chat or e-mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { TableBroadcastStore } from '../../src/broadcast/broadcastStore';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { tableService } from '../../src/storage/tables';
import { TableClient } from '@azure/data-tables';
import { storeEvent } from '../events/fixtures';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { TableReminderStore } from '../../src/announcements/remindersStore';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { PRIVACY_VERB } from '../../src/teams/privacy/privacyHandlers';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser } from '../support/teamsUsers';

const HOUR = 60 * 60 * 1000;

describe("deleting one's personal data from chat", () => {
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
    broadcasts: TableBroadcastStore;
    outbox: TableOutboxStore;
  };
  let suggestionId: string;
  let eventId: string;

  /** Every row of every table of this app that contains one of the texts (any case), as "table: row". */
  const rowsContaining = async (texts: string[]): Promise<string[]> => {
    const found: string[] = [];
    for await (const table of tableService(testConnectionString()).listTables()) {
      if (!table.name?.startsWith(prefix)) continue;
      const client = TableClient.fromConnectionString(testConnectionString(), table.name, { allowInsecureConnection: true });
      for await (const entity of client.listEntities()) {
        const row = JSON.stringify(entity).toLowerCase();
        if (texts.some((text) => row.includes(text.toLowerCase()))) found.push(`${table.name.slice(prefix.length)}: ${JSON.stringify(entity)}`);
      }
    }
    return found;
  };
  /** What identifies Kari: her Entra object id (also in her Teams id and personal chat id), e-mail and name. */
  const kariTraces = () => [kari.aadObjectId, kari.email, kari.name];

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
    bot = await startBotUnderTest({ TABLE_PREFIX: prefix, LOG_LEVEL: 'error', OUTBOX_POLL_SECONDS: '0.2' });
    const storage = testConnectionString();
    stores = {
      // The test looks in storage itself, not through what an instance holds.
      profiles: await TableUserProfileStore.open(storage, `${prefix}userprofiles`, { cacheMs: 0 }),
      subscriptions: await TableSubscriptionStore.open(storage, `${prefix}subscriptions`),
      reminders: await TableReminderStore.open(storage, `${prefix}eventreminders`),
      conversations: await TableConversationStore.open(storage, `${prefix}conversations`),
      suggestions: await TableSuggestionStore.open(storage, `${prefix}suggestions`),
      broadcasts: await TableBroadcastStore.open(storage, `${prefix}broadcasts`),
      outbox: await TableOutboxStore.open(storage, `${prefix}outbox`),
    };
    kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    ola = namedUser(bot, 'Ola Kollega', 'ola.kollega@ntnu.example');
    await say(kari, 'jeg jobber på IDI');
    await say(kari, 'jeg er prosjektøkonom');
    await say(ola, 'jeg jobber på IE');
    suggestionId = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, kari, 'submitSuggestion', suggestionForm({ mayContact: 'true' })))));
    await stores.reminders.save({
      announcementId: 'KU-2026-0001',
      userId: kari.aadObjectId,
      choice: 'day-before',
      language: 'nb',
      dueAt: '2026-12-01T08:00:00.000Z',
      requestedAt: new Date().toISOString(),
    });
    await stores.reminders.save({
      announcementId: 'KU-2026-0001',
      userId: ola.aadObjectId,
      choice: 'day-before',
      language: 'nb',
      dueAt: '2026-12-01T08:00:00.000Z',
      requestedAt: new Date().toISOString(),
    });
    // A reminder an hour before an event that starts in an hour and two seconds: it goes out through the
    // outbox and the broadcast engine to Kari's chat (and to Ola's), and leaves their delivery records.
    const event = await storeEvent(await TableAnnouncementStore.open(storage, `${prefix}announcements`), {
      title: 'Kurs i fakturering',
      startsAt: new Date(Date.now() + HOUR + 2000).toISOString(),
    });
    eventId = event.id;
    for (const user of [kari, ola]) await bot.post(cardAction(bot, user, 'scheduleReminder', { id: eventId, choice: 'hour-before', lang: 'nb' }));
    for (const user of [kari, ola]) {
      await waitFor(
        () => bot.connector.messagesIn(user.conversationId).some((message) => String(message.text).startsWith('Påminnelse: «Kurs i fakturering»')),
        20_000,
        'the reminder',
      );
    }
    await waitFor(async () => (await stores.outbox.list({ status: 'delivered', kind: 'event-reminder' })).length === 2, 10_000, 'the delivered reminders');
    await expectKariKept();
    expect((await rowsContaining([kari.aadObjectId])).some((row) => row.startsWith('broadcasts: ') && row.includes('"state":"sent"'))).toBe(true);
    expect((await rowsContaining([kari.aadObjectId])).some((row) => row.startsWith('outbox: ') && row.includes('"status":"delivered"'))).toBe(true);
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

  it("deletes the asker's data on confirmation and keeps their suggestion for the process team without them", async () => {
    const card = invokeCard(await bot.post(cardAction(bot, kari, PRIVACY_VERB.confirmDeletion, { lang: 'nb', requester: kari.aadObjectId })));
    expect(card).toContain('Dataene dine er slettet');
    // Nothing of Kari is left in any table: not her id, chat, e-mail or name.
    expect(await rowsContaining(kariTraces())).toEqual([]);
    expect(card).toContain(
      // The contexts: of her personal chat, and of the channel where she asked.
      'Jeg har slettet enheten du hadde oppgitt, sammenhengen fra 2 samtaler, prosessrollene og abonnementene dine, 2 påminnelser, ' +
        '1 oppføring om en kunngjøring eller påminnelse jeg sendte deg, 1 melding til eller om deg i utsendingskøen og det jeg hadde lagret om chatten vår.',
    );

    // Ola's reminder records are untouched.
    expect((await stores.outbox.list({ kind: 'event-reminder' })).map((message) => message.id)).toEqual([expect.stringContaining(ola.aadObjectId)]);
    expect((await rowsContaining([ola.aadObjectId])).filter((row) => row.startsWith('broadcasts: '))).toHaveLength(1);
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
    // Writing to the bot stored the chat and that conversation's context again; nothing else was there.
    expect(card).toContain('I have deleted the context of 1 conversation and what I had stored about our chat.');
    expect(card).not.toContain('improvement suggestion');
  });

  it('leaves nothing of the user on the instance that deleted: their unit and last question are not used a moment later', async () => {
    await say(kari, 'jeg jobber på IDI');
    expect(await say(kari, 'hvem er prosessrådgiver for prosjektøkonomi ved IDI?')).toContain('@ntnu.example');
    invokeCard(await bot.post(cardAction(bot, kari, PRIVACY_VERB.confirmDeletion, { lang: 'nb', requester: kari.aadObjectId })));
    // Neither the last question's unit nor her own is there to answer with: she is asked for her unit.
    const followUp = await say(kari, 'og for PBO?');
    expect(followUp).not.toContain('som i forrige spørsmål');
    expect(followUp).toContain('Hvilken enhet jobber du ved?');
    expect(await say(kari, 'hvem er prosessrådgiver for prosjektøkonomi hos oss?')).toContain('Hvilken enhet jobber du ved?');
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TableConversationContextStore } from '../../src/conversations/conversationContextStore';
import { turnLanguage } from '../../src/language/detectLanguage';
import { sampleUnderstander, type ChatUnderstander } from '../support/understanding';

import { TableReminderStore } from '../../src/announcements/remindersStore';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { PersonalDataService, suggestionsPersonalData, withoutPerson, type DeletionReport } from '../../src/privacy/personalData';
import { privacyTexts } from '../../src/i18n';
import { TableBroadcastStore } from '../../src/broadcast/broadcastStore';
import { TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import type { Route, Suggestion, SuggestionDraft } from '../../src/suggestions/model';
import { ANONYMISED_ACTOR, type Actor } from '../../src/core/actor';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const kari: Actor = { id: 'u-kari', name: 'Kari Ansatt', email: 'kari@ntnu.example' };
const ola: Actor = { id: 'u-ola', name: 'Ola Kollega', email: 'ola@ntnu.example' };
const audun: Actor = { id: 'u-audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const route: Route = { target: { kind: 'people', people: [{ name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' }], label: 'Audun Brekke' }, level: 'local', unitCode: 'IE' };
const draft: SuggestionDraft = { process: 'BTB', unit: 'IDI', title: 'Tittel', description: 'Beskrivelse', potential: 'Potensial', system: 'unit4', mayContact: true };

describe('the "delete my data" command', () => {
  let understander: ChatUnderstander;
  beforeAll(async () => {
    understander = await sampleUnderstander();
  });

  it.each([
    ['slett mine data', 'nb'],
    ['Slett alle mine data!', 'nb'],
    ['slett dataene mine', 'nb'],
    ['kan du slette personopplysningene mine?', 'nb'],
    ['slett dataa mine', 'nn'],
    ['slett opplysningane mine', 'nn'],
    ['glem meg', 'nb'],
    ['Delete my data', 'en'],
    ['please erase all my personal data.', 'en'],
    ['forget me', 'en'],
  ])('understands "%s" (%s)', (text, language) => {
    const understood = understander.understand(text);
    expect(understood.intent).toEqual({ capability: 'privacy', command: { kind: 'delete-my-data' } });
    expect(turnLanguage(understood.language, null, undefined)).toBe(language);
  });

  it.each(['hvordan sletter jeg data i Unit4?', 'slett kanalen for Btb', 'who can delete my data in SAP?', 'mine data', 'delete'])('leaves "%s" to the other features', (text) => {
    expect(understander.understand(text).intent.capability).not.toBe('privacy');
  });
});

describe('removing a person from a suggestion', () => {
  const suggestion: Suggestion = {
    ...draft,
    id: 'FF-2026-0001',
    submitter: kari,
    state: 'under-vurdering',
    assignee: audun,
    route,
    delivered: true,
    supporters: [ola],
    history: [
      { at: '2026-01-01T10:00:00Z', by: kari, action: 'submitted', from: null, to: 'ny', comment: null },
      { at: '2026-01-02T10:00:00Z', by: ola, action: 'supported', from: 'ny', to: 'ny', comment: null },
      { at: '2026-01-03T10:00:00Z', by: audun, action: 'take', from: 'ny', to: 'under-vurdering', comment: 'Ser på det' },
    ],
    language: 'nb',
    postings: [],
    createdAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-03T10:00:00Z',
  };

  it('replaces the submitter, their history lines and their consent to be contacted', () => {
    const changed = withoutPerson(suggestion, kari.id);
    expect(changed?.submitter).toEqual(ANONYMISED_ACTOR);
    expect(changed?.mayContact).toBe(false);
    expect(changed?.history.map((entry) => entry.by.id)).toEqual([ANONYMISED_ACTOR.id, ola.id, audun.id]);
    expect(JSON.stringify(changed)).not.toContain('Kari');
    expect(changed?.title).toBe('Tittel');
  });

  it('replaces a supporter and keeps the support count', () => {
    const changed = withoutPerson(suggestion, ola.id);
    expect(changed?.supporters).toEqual([ANONYMISED_ACTOR]);
    expect(changed?.submitter).toEqual(kari);
    expect(changed?.mayContact).toBe(true);
    expect(JSON.stringify(changed)).not.toContain('Ola');
  });

  it('keeps what a handler did, as the record of the case', () => {
    expect(withoutPerson(suggestion, audun.id)).toBeNull();
  });
});

describe("deleting a user's personal data in Table Storage", () => {
  it('deletes everything of the user, leaves others alone, and wins against a concurrent change of a suggestion', async () => {
    const prefix = uniqueTablePrefix('pd');
    const storage = testConnectionString();
    const profiles = await TableUserProfileStore.open(storage, `${prefix}profiles`);
    const subscriptions = await TableSubscriptionStore.open(storage, `${prefix}subscriptions`);
    const reminders = await TableReminderStore.open(storage, `${prefix}reminders`);
    const conversations = await TableConversationStore.open(storage, `${prefix}conversations`);
    const conversationContexts = await TableConversationContextStore.open(storage, `${prefix}contexts`);
    const suggestionStore = await TableSuggestionStore.open(storage, `${prefix}suggestions`);
    const broadcasts = await TableBroadcastStore.open(storage, `${prefix}broadcasts`);
    const outbox = await TableOutboxStore.open(storage, `${prefix}outbox`);
    const roleHolders = await TableRoleHolderStore.open(storage, `${prefix}roleholders`);
    await roleHolders.replace(
      [kari, ola].map((user) => ({ email: user.email ?? '', name: user.name, role: 'innkjoper' as const, unit: 'IDI', process: null })),
      'roller.csv',
    );

    for (const user of [kari, ola]) {
      await profiles.setUnit(user.id, 'IDI');
      await subscriptions.update(user.id, (current) => ({ ...current, roles: ['prosjektokonom'] }));
      for (const announcementId of ['KU-2026-0001', 'KU-2026-0002']) {
        await reminders.save({ announcementId, userId: user.id, choice: 'hour-before', language: 'nb', dueAt: '2026-12-01T08:00:00Z', requestedAt: '2026-11-01T08:00:00Z' });
      }
      await conversations.remember({
        conversationId: `a:${user.id}`,
        kind: 'personal',
        reference: {},
        user: { id: user.id, name: user.name, email: user.email ?? null },
        updatedAt: '2026-11-01T08:00:00Z',
      });
      for (const conversationId of [`a:${user.id}`, '19:team-channel']) {
        await conversationContexts.save({ userId: user.id, conversationId, language: 'nb', process: 'BTB', role: null, unit: 'IDI', updatedAt: new Date().toISOString() });
      }
    }
    const reference = (user: Actor) => ({ conversation: { id: `a:${user.id}`, conversationType: 'personal' }, user: { id: `29:${user.id}`, aadObjectId: user.id } });
    await broadcasts.create(
      { id: 'KU-2026-0001', kind: 'send', activity: { type: 'message' }, recipients: [kari, ola].map((user) => ({ conversationId: `a:${user.id}`, reference: reference(user) })) },
      new Date(),
    );
    await broadcasts.writeRecipients(
      'KU-2026-0001',
      [kari, ola].map((user) => ({ conversationId: `a:${user.id}`, state: 'sent' as const, activityId: 'm-1', updatedAt: new Date().toISOString() })),
    );
    for (const user of [kari, ola]) {
      await outbox.enqueue({ id: `event-reminder|KU-2026-0001|${user.id}|hour-before|2026-12-01T08:00:00Z`, kind: 'event-reminder', payload: { userId: user.id } });
      await outbox.markDelivered(`event-reminder|KU-2026-0001|${user.id}|hour-before|2026-12-01T08:00:00Z`, 'reminder.KU-2026-0001');
    }
    // A user id that is a prefix of another's must not take the other's reminders along.
    await reminders.save({
      announcementId: 'KU-2026-0001',
      userId: `${kari.id}x`,
      choice: 'hour-before',
      language: 'nb',
      dueAt: '2026-12-01T08:00:00Z',
      requestedAt: '2026-11-01T08:00:00Z',
    });
    const { stored } = await suggestionStore.create({ draft, submitter: kari, route, now: new Date('2026-11-01T08:00:00Z'), language: 'nb', idempotencyKey: randomUUID() });
    const other = await suggestionStore.create({ draft, submitter: ola, route, now: new Date('2026-11-01T09:00:00Z'), language: 'nb', idempotencyKey: randomUUID() });

    // The process team takes Kari's suggestion between the service's read and its write.
    let raced = false;
    const racingStore = {
      list: () => suggestionStore.list(),
      update: suggestionStore.update.bind(suggestionStore),
      get: async (id: string) => {
        const read = await suggestionStore.get(id);
        if (read && !raced) {
          raced = true;
          await suggestionStore.update({ ...read.suggestion, state: 'under-vurdering', assignee: audun }, read.etag);
        }
        return read;
      },
    };
    const service = new PersonalDataService([
      profiles.personalData(),
      conversationContexts.personalData(),
      subscriptions.personalData(),
      reminders.personalData(),
      broadcasts.personalData(),
      outbox.personalData(),
      suggestionsPersonalData({ ...racingStore, tableName: suggestionStore.tableName }),
      conversations.personalData(),
      roleHolders.personalData(),
    ]);

    const report = await service.deleteFor({ id: kari.id, email: kari.email });
    expect(report).toEqual({
      profile: [kari.id],
      conversationContexts: [`a:${kari.id}`, '19:team-channel'].sort(),
      subscriptions: [kari.id],
      reminders: ['KU-2026-0001|hour-before', 'KU-2026-0002|hour-before'],
      personalChat: [`a:${kari.id}`],
      deliveryRecords: [`KU-2026-0001|a:${kari.id}`],
      outboxMessages: [`event-reminder|KU-2026-0001|${kari.id}|hour-before|2026-12-01T08:00:00Z`],
      channelRegistrations: [],
      suggestions: [stored.suggestion.id],
      roleHolders: [expect.stringMatching(/^v.+\/kari/)],
      advisorQuestions: [],
    });
    expect(service.tables.sort()).toEqual(
      ['broadcasts', 'contexts', 'conversations', 'outbox', 'profiles', 'reminders', 'roleholders', 'subscriptions', 'suggestions'].map((name) => `${prefix}${name}`),
    );
    expect((await roleHolders.current())?.holders.map((holder) => holder.email)).toEqual([ola.email]);
    expect((await broadcasts.recipients('KU-2026-0001')).map((recipient) => recipient.conversationId)).toEqual([`a:${ola.id}`]);
    expect((await outbox.list({})).map((message) => message.id)).toEqual([`event-reminder|KU-2026-0001|${ola.id}|hour-before|2026-12-01T08:00:00Z`]);
    expect(await conversationContexts.listForUser(kari.id)).toEqual([]);
    expect(await conversationContexts.listForUser(ola.id)).toHaveLength(2);
    expect(raced).toBe(true);

    expect(await profiles.get(kari.id)).toBeNull();
    expect((await subscriptions.get(kari.id)).roles).toEqual([]);
    expect(await reminders.get('KU-2026-0001', kari.id, 'hour-before')).toBeNull();
    expect(await reminders.get('KU-2026-0002', kari.id, 'hour-before')).toBeNull();
    expect(await conversations.personalChatOf({ id: kari.id })).toBeNull();
    expect(await conversations.personalChatOf({ email: kari.email ?? '' })).toBeNull();
    const anonymised = (await suggestionStore.get(stored.suggestion.id))?.suggestion;
    expect(anonymised?.submitter).toEqual(ANONYMISED_ACTOR);
    // The concurrent change survived.
    expect(anonymised?.assignee).toEqual(audun);

    expect(await profiles.get(ola.id)).not.toBeNull();
    expect((await subscriptions.get(ola.id)).roles).toEqual(['prosjektokonom']);
    expect(await reminders.get('KU-2026-0001', `${kari.id}x`, 'hour-before')).not.toBeNull();
    expect(await reminders.get('KU-2026-0002', ola.id, 'hour-before')).not.toBeNull();
    expect(await conversations.personalChatOf({ email: ola.email ?? '' })).not.toBeNull();
    expect((await suggestionStore.get(other.stored.suggestion.id))?.suggestion.submitter).toEqual(ola);

    // Asking again finds nothing.
    expect(Object.values(await service.deleteFor({ id: kari.id, email: kari.email })).flat()).toEqual([]);
  });
});

describe('the reply after deleting', () => {
  const report: DeletionReport = {
    profile: ['u-kari'],
    conversationContexts: ['a:1', '19:c'],
    subscriptions: ['u-kari'],
    reminders: ['KU-2026-0001|day-before'],
    personalChat: ['a:1'],
    deliveryRecords: ['KU-2026-0001|a:1', 'reminder.KU-2026-0001.x|a:1'],
    outboxMessages: ['event-reminder|KU-2026-0001|u-kari|day-before|2026-12-01'],
    channelRegistrations: ['BTB|IE'],
    suggestions: ['FF-2026-0001', 'FF-2026-0002'],
    roleHolders: [],
    advisorQuestions: [],
  };

  it.each([
    [
      'nb',
      'Jeg har slettet enheten du hadde oppgitt, sammenhengen fra 2 samtaler, prosessrollene og abonnementene dine, 1 påminnelse, ' +
        '2 oppføringer om kunngjøringer og påminnelser jeg sendte deg, 1 melding til eller om deg i utsendingskøen, navnet ditt i 1 kanalregistrering ' +
        'og det jeg hadde lagret om chatten vår. Navnet og e-postadressen din er fjernet fra 2 forbedringsforslag FF-2026-0001 og FF-2026-0002, som prosessteamet fortsatt har.',
    ],
    [
      'nn',
      'Eg har sletta eininga du hadde oppgitt, samanhengen frå 2 samtalar, prosessrollene og abonnementa dine, 1 påminning, ' +
        '2 oppføringar om kunngjeringar og påminningar eg sende deg, 1 melding til eller om deg i utsendingskøen, namnet ditt i 1 kanalregistrering ' +
        'og det eg hadde lagra om chatten vår. Namnet og e-postadressa di er fjerna frå 2 forbetringsforslag FF-2026-0001 og FF-2026-0002, som prosessteamet framleis har.',
    ],
    [
      'en',
      'I have deleted the unit you gave me, the context of 2 conversations, your process roles and subscriptions, 1 reminder, ' +
        '2 records of announcements and reminders I sent you, 1 message to or about you in my delivery queue, your name in 1 channel registration ' +
        'and what I had stored about our chat. Your name and e-mail address have been removed from 2 improvement suggestions FF-2026-0001 and FF-2026-0002, which the process team still has.',
    ],
  ] as const)('lists everything that went, in %s', (language, body) => {
    expect(privacyTexts(language).deleted(report).body).toBe(body);
  });

  it.each(['nb', 'nn', 'en'] as const)('says when there was nothing, in %s', (language) => {
    const nothing = Object.fromEntries(Object.keys(report).map((kind) => [kind, []])) as unknown as DeletionReport;
    expect(privacyTexts(language).deleted(nothing).body).toBe(
      {
        nb: 'Jeg hadde ingen andre personlige data om deg lagret.',
        nn: 'Eg hadde ingen andre personlege data om deg lagra.',
        en: 'I had no other personal data about you stored.',
      }[language],
    );
  });
});

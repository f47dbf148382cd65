import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVACY_VERB } from '../../src/teams/privacy/privacyHandlers';
import { invokeActivity, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

/** The day an answer given now is shown with, as the cards write it. */
const today = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Europe/Oslo' }).format(new Date());

describe('shared answers end to end: "Dette er besvart før"', () => {
  let bot: BotUnderTest;
  let asker: NamedUser;
  let advisor: NamedUser;
  let colleague: NamedUser;
  let english: NamedUser;

  /** Someone (Kari unless told) asks a Btb question from IDI; Audun Brekke (IE's Btb advisor) answers it. */
  const askedAndAnswered = async (text: string, shareable: boolean, answer: string, by: NamedUser = asker): Promise<string> => {
    const form = { process: 'BTB', unit: 'IDI', text, shareable: String(shareable), lang: 'nb', formId: randomUUID() };
    const card = invokeCard(await bot.post(cardAction(bot, by, 'submitAdvisorQuestion', form)));
    const id = /SP-\d{4}-\d{4}/.exec(card)?.[0];
    if (!id) throw new Error(`no question id in ${card.slice(0, 300)}`);
    await waitFor(() => JSON.stringify(bot.connector.messagesIn(advisor.conversationId)).includes(id), 15_000, `the card of ${id} with the advisor`);
    const answered = invokeCard(await bot.post(cardAction(bot, advisor, 'advisorQuestionAction', { id, action: 'answer', view: 'handler', lang: 'nb', comment: answer })));
    expect(answered).toContain(`${id} · Besvart`);
    return id;
  };
  const say = async (user: NamedUser, text: string): Promise<string> => {
    const before = bot.connector.messagesIn(user.conversationId).length;
    expect((await bot.post(personalMessage(bot, user, text))).status).toBeLessThan(300);
    return JSON.stringify(bot.connector.messagesIn(user.conversationId).slice(before));
  };
  const search = async (user: NamedUser, text: string): Promise<string> => {
    const activity = invokeActivity('composeExtension/query', { commandId: 'findAdvisor', parameters: [{ name: 'query', value: text }] }, user, bot.connector.url);
    const response = await bot.post({ ...activity, from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId } });
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error' });
    asker = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    advisor = namedUser(bot, 'Audun Brekke', 'audun.brekke@ntnu.example');
    colleague = namedUser(bot, 'Ola Kollega', 'ola.kollega@ntnu.example');
    english = namedUser(bot, 'Eve English', 'eve@ntnu.example', 'en-GB');
    for (const user of [asker, advisor, colleague, english]) await bot.post(personalMessage(bot, user, 'hei'));
    await bot.post(personalMessage(bot, asker, 'jeg jobber på IDI'));
    await askedAndAnswered('Hvordan registrerer jeg en ny leverandør i Unit4?', true, 'Bruk malen «Ny leverandør» i Unit4 og legg ved bankbekreftelsen.');
    await askedAndAnswered('Hvordan sletter jeg en feilført bilagslinje i Unit4?', false, 'Hemmelig svar: send bilagsnummeret til Audun.');
  });
  afterAll(async () => bot.stop());

  it("answers another user's similar question in chat with the shared answer, who answered and when, in their language", async () => {
    const reply = await say(colleague, 'Hvordan oppretter jeg en ny leverandør i Unit4?');
    expect(reply).toContain('Dette er besvart før: «Hvordan registrerer jeg en ny leverandør i Unit4?»');
    expect(reply).toContain('Bruk malen «Ny leverandør» i Unit4 og legg ved bankbekreftelsen.');
    expect(reply).toContain(`Svart av Audun Brekke, ${today('nb-NO')}`);
    // Never who asked it; and the shared answer is the reply, not "I did not understand".
    expect(reply).not.toContain('Kari Ansatt');
    expect(reply).not.toContain('Det forsto jeg ikke helt');

    const inEnglish = await say(english, 'How do I register a new leverandør in Unit4?');
    expect(inEnglish).toContain('This has been answered before: “Hvordan registrerer jeg en ny leverandør i Unit4?”');
    expect(inEnglish).toContain(`Answered by Audun Brekke, ${today('en-GB')}`);
  });

  it('keeps a who-question for the directory', async () => {
    const reply = await say(colleague, 'Hvem er prosessrådgiver for Btb ved IE når jeg skal registrere ny leverandør i Unit4?');
    expect(reply).toContain('Audun Brekke');
    expect(reply).not.toContain('Dette er besvart før');
  });

  it('lists the shared answer in the message extension search', async () => {
    const body = await search(colleague, 'registrere ny leverandør Unit4');
    expect(body).toContain('Dette er besvart før: «Hvordan registrerer jeg en ny leverandør i Unit4?»');
    expect(body).toContain('Bruk malen «Ny leverandør» i Unit4 og legg ved bankbekreftelsen.');
    expect(body).not.toContain('Kari Ansatt');
  });

  it('never shows an answer the asker did not share to anyone else, in chat or in the message extension', async () => {
    for (const text of ['Hvordan sletter jeg feilført bilagslinje i Unit4?', 'Hvordan sletter jeg en feilført bilagslinje i Unit4?']) {
      const reply = await say(colleague, text);
      expect(reply).not.toContain('Hemmelig svar');
      expect(reply).not.toContain('Dette er besvart før');
      expect(await search(colleague, text)).not.toContain('Hemmelig svar');
    }
  });

  it('shows no answer of a user who had their data deleted ("slett mine data"), whatever they chose before', async () => {
    const leaver = namedUser(bot, 'Siri Slutter', 'siri.slutter@ntnu.example');
    await bot.post(personalMessage(bot, leaver, 'hei'));
    const id = await askedAndAnswered('Hvordan returnerer jeg feilbestilte varer til leverandøren?', true, 'Lag en kreditordre i Unit4.', leaver);
    expect(await say(colleague, 'Hvordan returnerer jeg feilbestilte varer til leverandøren?')).toContain('Lag en kreditordre i Unit4.');
    const deleted = invokeCard(await bot.post(cardAction(bot, leaver, PRIVACY_VERB.confirmDeletion, { lang: 'nb', requester: leaver.aadObjectId })));
    expect(deleted).toContain(`Navnet ditt er fjernet fra spørsmålet ${id}`);
    const reply = await say(colleague, 'Hvordan returnerer jeg feilbestilte varer til leverandøren?');
    expect(reply).not.toContain('Lag en kreditordre i Unit4.');
    expect(await search(colleague, 'returnere feilbestilte varer leverandøren')).not.toContain('Lag en kreditordre');
  });

  it('matches no unrelated question', async () => {
    const reply = await say(colleague, 'Hvordan fører jeg reiseregning for en gjesteforeleser?');
    expect(reply).not.toContain('Dette er besvart før');
    expect(await search(colleague, 'reiseregning gjesteforeleser')).not.toContain('besvart før');
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVACY_VERB } from '../../src/teams/privacy/privacyHandlers';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser, type TestChannel } from '../support/teamsUsers';

/** The values of a valid question form as the card submits them; the question is unique so it can be found. */
function questionForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { process: 'BTB', unit: 'IDI', text: `Hvordan gjør jeg ${randomUUID()}?`, shareable: 'true', lang: 'nb', formId: randomUUID(), ...overrides };
}

function questionIdIn(text: string): string {
  const match = /SP-\d{4}-\d{4}/.exec(text);
  if (!match) throw new Error(`no question id in ${text.slice(0, 300)}`);
  return match[0];
}

describe('questions to the advisors end to end', () => {
  let bot: BotUnderTest;
  let asker: NamedUser;
  let ieAdvisor: NamedUser;
  let btbManager: NamedUser;
  let payrollAdvisor: NamedUser;
  let ftiManager: NamedUser;
  let coordinator: NamedUser;
  let outsider: NamedUser;
  let pboChannel: TestChannel;

  const ask = async (overrides: Record<string, unknown> = {}, by: NamedUser = asker) => {
    const card = invokeCard(await bot.post(cardAction(bot, by, 'submitAdvisorQuestion', questionForm(overrides))));
    return { id: questionIdIn(card), card };
  };
  /** The routed card of a question in a conversation, once it has arrived. */
  const arrived = (conversationId: string, id: string) =>
    waitFor(() => bot.connector.messagesIn(conversationId).find((message) => JSON.stringify(message).includes(id)), 15_000, `the card of ${id} in ${conversationId}`);
  const notified = (text: string) => waitFor(() => JSON.stringify(bot.connector.messagesIn(asker.conversationId)).includes(text), 15_000, `the asker told: ${text}`);
  const act = (user: NamedUser, id: string, action: string, extra: Record<string, unknown> = {}) =>
    bot.post(cardAction(bot, user, 'advisorQuestionAction', { id, action, view: 'handler', lang: 'nb', ...extra }));

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error' });
    asker = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    ieAdvisor = namedUser(bot, 'Audun Brekke', 'audun.brekke@ntnu.example');
    btbManager = namedUser(bot, 'Lene Kristiansen', 'lene.kristiansen@ntnu.example');
    payrollAdvisor = namedUser(bot, 'Torill Johannessen', 'torill.johannessen@ntnu.example');
    ftiManager = namedUser(bot, 'Thomas Jensen', 'thomas.jensen@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    // People the bot can write to: they have it installed and have talked to it.
    for (const user of [asker, ieAdvisor, btbManager, payrollAdvisor, ftiManager, coordinator, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
    await bot.post(personalMessage(bot, asker, 'jeg jobber på IDI'));
    pboChannel = testChannel('PBO-teamet IE');
  });
  afterAll(async () => bot.stop());

  it('offers "Spør prosessrådgiveren" under an answer and under the reply about one\'s pay, with the process and the question', async () => {
    const answer = JSON.stringify(await bot.ask('hvem er prosessrådgiver for Btb?', asker));
    expect(answer).toContain('"title":"Spør prosessrådgiveren","verb":"openAdvisorQuestionForm"');
    expect(answer).toContain('"process":"BTB","question":"hvem er prosessrådgiver for Btb?","lang":"nb"');
    const pay = JSON.stringify(await bot.ask('hvor mye får jeg i lønn i desember?', asker));
    expect(pay).toContain('"verb":"openAdvisorQuestionForm","data":{"process":"LONN"');
    // What concerns no process has nobody to ask.
    expect(JSON.stringify(await bot.ask('hvordan blir været i morgen?', asker))).not.toContain('openAdvisorQuestionForm');
    const english = JSON.stringify(await bot.ask('who is the PBO advisor at IDI?', namedUser(bot, 'Eve English', 'eve@ntnu.example', 'en-US')));
    expect(english).toContain('"title":"Ask the advisor"');
  });

  it("opens the form with the process, the user's unit and the question filled in", async () => {
    const before = bot.connector.messagesIn(asker.conversationId).length;
    await bot.post(cardAction(bot, asker, 'openAdvisorQuestionForm', { process: 'BTB', question: 'Hvordan bestiller jeg fra en ny leverandør?', lang: 'nb' }));
    const form = JSON.stringify(bot.connector.messagesIn(asker.conversationId).slice(before));
    expect(form).toMatch(/"id":"process"[^}]*"value":"BTB"/);
    expect(form).toMatch(/"id":"unit"[^}]*"value":"IDI"/);
    expect(form).toMatch(/"id":"text"[^}]*"value":"Hvordan bestiller jeg fra en ny leverandør\?"/);
    expect(form).toContain('"id":"shareable"');
    expect(form).toContain('"verb":"submitAdvisorQuestion"');
  });

  it("gives the form back with what is missing marked and the rest kept, in the user's language, storing nothing", async () => {
    const card = invokeCard(await bot.post(cardAction(bot, asker, 'submitAdvisorQuestion', questionForm({ text: '', unit: 'IDI', process: 'PBO' }))));
    expect(card).toContain('Noe mangler eller må rettes');
    expect(card).toContain('Må fylles ut.');
    expect(card).toMatch(/"id":"process"[^}]*"value":"PBO"/);
    const english = invokeCard(await bot.post(cardAction(bot, asker, 'submitAdvisorQuestion', questionForm({ unit: '', lang: 'en', text: 'Kept text' }))));
    expect(english).toContain('Required.');
    expect(english).toContain('"value":"Kept text"');
    expect(JSON.stringify(await bot.ask('mine spørsmål', asker))).toContain('Du har ikke stilt prosessrådgiverne noen spørsmål ennå');
  });

  it('routes a question of each routing class to the right conversation', async () => {
    // A local process with no channel registered: the advisors of the nearest unit up the tree, one to one.
    const local = await ask();
    expect(local.card).toContain(`Takk! Spørsmålet er registrert som ${local.id}.`);
    expect(local.card).toContain('Det er sendt til Audun Brekke');
    expect(JSON.stringify(await arrived(ieAdvisor.conversationId, local.id))).toContain('"verb":"advisorQuestionAction"');

    // A local process with a channel registered at the unit above: that channel.
    await bot.post(channelMessage(bot, coordinator, pboChannel, 'registrer kanalen for PBO ved IE'));
    const channel = await ask({ process: 'PBO' });
    expect(channel.card).toContain('Det er sendt til kanalen «Økonomi › PBO-teamet IE»');
    await arrived(pboChannel.id, channel.id);

    // Lønn: the service centre's advisors; central processes: the process manager.
    const payroll = await ask({ process: 'LONN' });
    await arrived(payrollAdvisor.conversationId, payroll.id);
    const central = await ask({ process: 'FTI' });
    await arrived(ftiManager.conversationId, central.id);
    expect(bot.connector.messagesIn(ieAdvisor.conversationId).some((message) => JSON.stringify(message).includes(central.id))).toBe(false);
  });

  it('sends the answer to the asker one to one and shows it on the card to everyone', async () => {
    const { id } = await ask();
    await arrived(ieAdvisor.conversationId, id);
    expect(invokeCard(await act(ieAdvisor, id, 'take'))).toContain(`${id} · Under behandling`);
    await notified(`${id} er nå: Under behandling`);
    expect(invokeCard(await act(ieAdvisor, id, 'answer'))).toContain('Skriv svaret i tekstfeltet');
    const answered = invokeCard(await act(ieAdvisor, id, 'answer', { comment: 'Bruk malen «Ny leverandør» i Unit4.' }));
    expect(answered).toContain(`${id} · Besvart`);
    expect(answered).toContain('Svar fra Audun Brekke');
    await notified('Svar: «Bruk malen «Ny leverandør» i Unit4.»');
    await waitFor(
      () => bot.connector.updatesIn(ieAdvisor.conversationId).some((update) => JSON.stringify(update.activity).includes('Bruk malen «Ny leverandør» i Unit4.')),
      15_000,
      'the routed card updated in place with the answer',
    );
  });

  it('forwards a question to the process manager, and tells the asker', async () => {
    const { id } = await ask();
    await arrived(ieAdvisor.conversationId, id);
    expect(invokeCard(await act(ieAdvisor, id, 'forward'))).toContain(`${id} · Sendt til prosessansvarlig`);
    await arrived(btbManager.conversationId, id);
    await notified(`${id} er nå: Sendt til prosessansvarlig`);
    expect(invokeCard(await act(btbManager, id, 'answer', { comment: 'Svar fra prosessansvarlig.' }))).toContain(`${id} · Besvart`);
    await notified('Svar: «Svar fra prosessansvarlig.»');
  });

  it('turns a question into a linked improvement suggestion, and tells the asker its id', async () => {
    const { id } = await ask({ text: 'Hvorfor må små innkjøp varemottas manuelt i Unit4?' });
    await arrived(ieAdvisor.conversationId, id);
    const converted = invokeCard(await act(ieAdvisor, id, 'convert', { comment: 'Mange spør om dette.' }));
    expect(converted).toContain(`${id} · Gjort om til forbedringsforslag`);
    const suggestionId = /FF-\d{4}-\d{4}/.exec(converted)?.[0] ?? '';
    expect(suggestionId).not.toBe('');
    await notified(`Forbedringsforslaget har nummer ${suggestionId}`);
    // The suggestion is the handler's, prefilled from the question, and routed as any suggestion.
    const status = JSON.stringify(await bot.ask(`status ${suggestionId}`, ieAdvisor));
    expect(status).toContain('Hvorfor må små innkjøp varemottas manuelt i Unit4?');
    expect(status).toContain(`Fra spørsmålet ${id} til prosessrådgiverne`);
    expect(status).toContain('Mange spør om dette.');
  });

  it('refuses an outsider every step without showing the question, and lets the asker withdraw and list their questions', async () => {
    const { id } = await ask({ text: 'Et privat spørsmål om Btb' });
    for (const action of ['take', 'answer', 'forward', 'convert', 'withdraw']) {
      const refused = invokeCard(await act(outsider, id, action, { comment: 'x' }));
      expect(refused, action).toContain('Du kan se dine egne spørsmål og spørsmål du behandler.');
      expect(refused, action).not.toContain('Et privat spørsmål om Btb');
    }
    expect(invokeCard(await bot.post(cardAction(bot, outsider, 'refreshAdvisorQuestion', { id, view: 'handler', lang: 'nb' })))).not.toContain('Et privat spørsmål');
    const mine = JSON.stringify(await bot.ask('mine spørsmål', asker));
    expect(mine).toContain(`**${id}** Et privat spørsmål om Btb – Ny`);
    const withdrawn = invokeCard(await bot.post(cardAction(bot, asker, 'advisorQuestionAction', { id, action: 'withdraw', view: 'asker', lang: 'nb' })));
    expect(withdrawn).toContain(`${id} · Trukket`);
    expect(JSON.stringify(await bot.ask('mine spørsmål', outsider))).not.toContain(id);
  });
  it('"slett mine data" removes the asker from their questions, which stay with the advisors', async () => {
    const leaver = namedUser(bot, 'Siri Slutter', 'siri.slutter@ntnu.example');
    await bot.post(personalMessage(bot, leaver, 'hei'));
    const { id } = await ask({ text: 'Spørsmål fra en som slutter' }, leaver);
    await arrived(ieAdvisor.conversationId, id);
    const deleted = invokeCard(await bot.post(cardAction(bot, leaver, PRIVACY_VERB.confirmDeletion, { lang: 'nb', requester: leaver.aadObjectId })));
    expect(deleted).toContain(`Navnet ditt er fjernet fra spørsmålet ${id}`);
    const card = invokeCard(await bot.post(cardAction(bot, ieAdvisor, 'refreshAdvisorQuestion', { id, view: 'handler', lang: 'nb' })));
    expect(card).toContain('Spørsmål fra en som slutter');
    expect(card).toContain('"title":"Spurt av","value":"Slettet bruker"');
    expect(card).not.toContain('Siri Slutter');
  });
});

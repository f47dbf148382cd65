import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity, newUser, postCardAction, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';

const cardText = (messages: unknown[]): string => JSON.stringify(messages);

describe('the bot over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('reports health with the loaded directory', async () => {
    const response = await fetch(`${bot.app.url}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; directory: { units: number; people: number } };
    expect(body.status).toBe('ok');
    expect(body.directory.units).toBe(72);
    expect(body.directory.people).toBeGreaterThan(100);
  });

  it('rejects a body that is not JSON with 400, one that is not sent as JSON with 415, and keeps working', async () => {
    const response = await fetch(`${bot.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(response.status).toBe(400);
    const plain = await fetch(`${bot.app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(plain.status).toBe(415);
    const answer = await bot.ask('hvem er prosessansvarlig for PBO?');
    expect(cardText(answer)).toContain('stian.moe@ntnu.example');
  });

  it('acknowledges and ignores an unknown activity type', async () => {
    const user = newUser();
    const { status } = await bot.post({ ...messageActivity('x', user, bot.connector.url), type: 'somethingNew' });
    expect(status).toBeLessThan(300);
    expect(bot.connector.messagesIn(user.conversationId)).toHaveLength(0);
  });

  it('answers an empty message with the help card', async () => {
    const sent = await bot.ask('   ');
    expect(sent).toHaveLength(1);
    expect(cardText(sent)).toContain('Dette kan jeg hjelpe med');
  });

  it("answers a help card's example button (Action.Submit with the question as data) as if the question were typed", async () => {
    const [help] = await bot.ask('hjelp');
    const actions = (help?.attachments?.[0]?.content as { actions: Array<{ type: string; data: unknown }> }).actions;
    expect(actions.length).toBeGreaterThan(0);
    // No msteams action data: the Agents Playground throws on it.
    for (const action of actions) expect(action).toMatchObject({ type: 'Action.Submit', data: { example: expect.any(String) } });

    const user = newUser();
    const { status } = await bot.post({ ...messageActivity('', user, bot.connector.url), text: undefined, value: { example: 'hvem er prosessansvarlig for PBO?' } });
    expect(status).toBeLessThan(300);
    expect(cardText(bot.connector.messagesIn(user.conversationId))).toContain('stian.moe@ntnu.example');

    const other = newUser();
    await bot.post({ ...messageActivity('', other, bot.connector.url), text: undefined, value: { example: 42 } });
    expect(cardText(bot.connector.messagesIn(other.conversationId))).toContain('Dette kan jeg hjelpe med');
  });

  it('politely refuses a message over 4,000 characters', async () => {
    const sent = await bot.ask(`hvem er ${'veldig '.repeat(700)}prosessrådgiver?`);
    expect(cardText(sent)).toContain('for lang');
    expect(cardText(sent)).not.toContain('@ntnu.example');
  });

  it('answers with a card naming the person, the reason, e-mail, a chat link and a suggestion button, and text for card-less clients', async () => {
    const replies = await bot.ask('hvem er prosessrådgiver for PBO ved IIK?');
    // One message: the plain text is the card's fallback and the summary, not a second bubble beside the card.
    expect(replies).toHaveLength(1);
    const [reply] = replies as Array<{ text?: string; summary?: string; attachments?: Array<{ contentType: string; content: unknown }> }>;
    expect(reply?.text).toBeUndefined();
    expect(reply?.summary).toContain('Karoline Grønli (karoline.gronli@ntnu.example)');
    expect((reply?.attachments?.[0]?.content as { fallbackText?: string }).fallbackText).toContain('Karoline Grønli (karoline.gronli@ntnu.example)');
    const card = reply?.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const json = JSON.stringify(card?.content);
    expect((card?.content as { version: string }).version).toBe('1.5');
    expect(json).toContain('mailto:karoline.gronli@ntnu.example');
    expect(json).toContain('https://teams.microsoft.com/l/chat/0/0?users=karoline.gronli%40ntnu.example');
    expect(json).toContain('har ingen egen prosessrådgiver');
    expect(json).toContain('Fakultet for informasjonsteknologi og elektroteknikk (IE)');
    expect(json).toContain('"verb":"openSuggestionForm"');
  });

  it('replies in English to an English question', async () => {
    const sent = await bot.ask('who is the process manager for PBO?', newUser('nb-NO'));
    expect(cardText(sent)).toContain('Process manager for Planning, budgeting and follow-up');
    expect(cardText(sent)).toContain('stian.moe@ntnu.example');
  });

  it('follows the locale when the message does not show its language', async () => {
    const sent = await bot.ask('PBO IIK', newUser('en-US'));
    expect(cardText(sent)).toContain('has no process advisor of its own');
  });

  it('asks for the unit with a card, then answers the waiting question once the unit is picked', async () => {
    const user = newUser();
    const asked = await bot.ask('hvem er prosessrådgiver for Btb hos oss?', user);
    expect(cardText(asked)).toContain('Hvilken enhet jobber du ved?');
    expect(cardText(asked)).toContain('"verb":"chooseUnit"');

    const before = bot.connector.messagesIn(user.conversationId).length;
    const response = await postCardAction(bot, user, 'chooseUnit', { unit: 'IDI', purpose: 'own-unit', question: '' });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { statusCode: number; type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain('Notert: du jobber ved Institutt for datateknologi og informatikk (IDI)');
    const followUp = bot.connector.messagesIn(user.conversationId).slice(before);
    expect(cardText(followUp)).toContain('audun.brekke@ntnu.example');

    const shown = await bot.ask('hvilken enhet er jeg registrert på?', user);
    expect(cardText(shown)).toContain('Du er registrert ved Institutt for datateknologi og informatikk (IDI)');
    const mine = await bot.ask('hvem er prosessrådgiver for prosjektøkonomi hos oss?', user);
    expect(cardText(mine)).toContain('kristian.pedersen@ntnu.example');
    expect(cardText(mine)).toContain('Svaret gjelder enheten du er registrert på');
  });

  it('answers a card in the language of the conversation it came from, not the client locale', async () => {
    const user = newUser('en-US');
    const asked = cardText(await bot.ask('hvem er prosessrådgiver for Btb hos oss?', user));
    expect(asked).toContain('Hvilken enhet jobber du ved?');
    expect(asked).toContain('Deretter svarer jeg på spørsmålet ditt: «hvem er prosessrådgiver for Btb hos oss?»');
    expect(asked).toContain('"lang":"nb"');
    const response = await postCardAction(bot, user, 'chooseUnit', { unit: 'IFY', purpose: 'own-unit', question: '', lang: 'nb' });
    expect(response.body).toContain('Notert: du jobber ved Institutt for fysikk (IFY)');
    expect(response.body).toContain('Her er svaret på spørsmålet ditt');
  });

  it('keeps the picker and says what is missing when the unit card is sent without a unit', async () => {
    const response = await postCardAction(bot, newUser(), 'chooseUnit', { purpose: 'own-unit', question: '' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('Velg en enhet først');
    expect(response.body).toContain('"id":"unit"');
  });

  it('remembers a unit stated in chat and changes it on request', async () => {
    const user = newUser();
    expect(cardText(await bot.ask('jeg jobber på IDI', user))).toContain('(IDI)');
    expect(cardText(await bot.ask('min enhet er Institutt for fysikk', user))).toContain('(IFY)');
    expect(cardText(await bot.ask('hvem er prosessrådgiver for prosjektøkonomi på mitt institutt?', user))).toContain('tor.strom@ntnu.example');
  });

  it('says when a unit is unknown, offers the closest units as buttons and never guesses', async () => {
    const user = newUser();
    const sent = await bot.ask('hvem er prosessrådgiver for Btb ved Institutt for helsevitskap', user);
    const json = cardText(sent);
    expect(json).toContain('Jeg finner ingen enhet som heter');
    expect(json).toContain('"unit":"IHG"');
    expect(json).toContain('"unit":"IHA"');
    expect(json).not.toContain('@ntnu.example');

    const response = await postCardAction(bot, user, 'chooseUnit', {
      unit: 'IHG',
      purpose: 'question',
      question: 'hvem er prosessrådgiver for Btb ved Institutt for helsevitskap',
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('magnus.andreassen@ntnu.example');
  });

  it('asks which process with buttons when none is named, then answers the choice', async () => {
    const user = newUser();
    const sent = await bot.ask('hvem er rådgiver på IDI?', user);
    const json = cardText(sent);
    expect(json).toContain('Hvilken prosess gjelder det?');
    expect(json).toContain('"verb":"chooseProcess"');
    expect(json).not.toContain('@ntnu.example');
    const response = await postCardAction(bot, user, 'chooseProcess', { process: 'PROSJ', unit: 'IDI', question: 'hvem er rådgiver på IDI?' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('kristian.pedersen@ntnu.example');
  });

  it('answers a card action with bad data with a message, not a failure', async () => {
    const response = await postCardAction(bot, newUser(), 'chooseProcess', { process: 'NOPE', question: 'x' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('Noe gikk galt med kortet');
  });

  it('tells where errors are reported', async () => {
    expect(cardText(await bot.ask('hvor melder jeg feil i Unit4?'))).toContain('kontakt@okavd.ntnu.no');
    const dfo = cardText(await bot.ask('DFØ-appen virker ikke, hvor melder jeg det?'));
    expect(dfo).toContain('Tjenestesenteret');
    expect(dfo).not.toContain('kontakt@okavd.ntnu.no');
  });

  it('lists the processes and who advises on each', async () => {
    const list = cardText(await bot.ask('hvilke prosesser finnes?'));
    expect(list).toContain('Behov til betaling (BTB)');
    expect(list).toContain('Alle prosessrådgiverne sitter i Tjenestesenteret');
    expect(list).not.toContain('@ntnu.example');
  });

  it('answers thanks briefly and anything else with what it can do', async () => {
    expect(cardText(await bot.ask('tusen takk!'))).toContain('Bare hyggelig');
    const unknown = cardText(await bot.ask('kan du lage en sang om revisjon?'));
    expect(unknown).toContain('Det forsto jeg ikke helt');
    expect(unknown).toContain('Dette kan jeg hjelpe med');
    const weather = cardText(await bot.ask('hva blir været i morgen?'));
    expect(weather).toContain('Det kan jeg dessverre ikke svare på');
    expect(weather).not.toContain('@ntnu.example');
  });

  it('explains what a role does', async () => {
    expect(cardText(await bot.ask('hva gjør en prosessrådgiver?'))).toContain('kollegaveiledning');
    // An explanation names no one unless the question also asks who.
    const explained = cardText(await bot.ask('what does the system manager do?'));
    expect(explained).toContain('system manager do?');
    expect(explained).not.toContain('per.hanssen@ntnu.example');
    expect(cardText(await bot.ask('who is the system manager, and what does the role do?'))).toContain('per.hanssen@ntnu.example');
  });

  it('in a channel answers only when mentioned', async () => {
    const user = newUser();
    const channel = { id: `19:${randomUUID()}@thread.tacv2`, conversationType: 'channel', tenantId: 'tenant' };
    const base = messageActivity('hvem er prosessansvarlig for PBO?', user, bot.connector.url, { conversation: channel });
    await bot.post(base);
    expect(bot.connector.messagesIn(channel.id)).toHaveLength(0);
    await bot.post({
      ...base,
      id: randomUUID(),
      text: '<at>Økonomi og lønn</at> hvem er prosessansvarlig for PBO?',
      entities: [{ type: 'mention', text: '<at>Økonomi og lønn</at>', mentioned: { id: '28:okonomi-og-lonn-bot', name: 'Økonomi og lønn' } }],
    });
    expect(cardText(bot.connector.messagesIn(channel.id))).toContain('stian.moe@ntnu.example');
  });

  it('welcomes a new user on install with a card asking for their unit', async () => {
    const user = newUser();
    await bot.post({
      ...messageActivity('', user, bot.connector.url),
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: [{ id: '28:okonomi-og-lonn-bot' }],
    });
    const sent = cardText(bot.connector.messagesIn(user.conversationId));
    expect(sent).toContain('Velkommen til Økonomi og lønn');
    expect(sent).toContain('"id":"unit"');
  });
});

describe('with a bot identity configured', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest({ BOT_ID: '00000000-0000-4000-8000-000000000001', BOT_PASSWORD: 'not-a-real-secret' });
  });
  afterAll(async () => bot.stop());

  it('rejects a request without a Bot Framework token with 401', async () => {
    const { status } = await bot.post(messageActivity('hei', newUser(), bot.connector.url));
    expect(status).toBe(401);
    expect(bot.connector.received).toHaveLength(0);
  });

  it('rejects a forged token with 401', async () => {
    const { status } = await bot.post(messageActivity('hei', newUser(), bot.connector.url), { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
    expect(status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, postCardAction, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';

const cardText = (messages: unknown[]): string => JSON.stringify(messages);

/** What the answer about IIK's Btb advisor says besides the directory's names, in each language (the card data carries the language). */
const NYNORSK_ANSWER = ['har eigen prosessrådgjevar for Behov til betaling', 'Føreslå ei forbetring', '"lang":"nn"'];
const BOKMAL_ANSWER = ['har egen prosessrådgiver for Behov til betaling', 'Foreslå en forbedring', '"lang":"nb"'];
const ENGLISH_ANSWER = ['has its own process advisor for Purchase to pay', 'Suggest an improvement', '"lang":"en"'];

describe('replies in nynorsk to nynorsk, over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  it('answers a nynorsk directory question in nynorsk, whatever the client locale', async () => {
    const [reply] = await bot.ask('Kven er prosessrådgjevar for innkjøp ved IIK?', newUser('nb-NO'));
    const json = cardText([reply]);
    for (const text of NYNORSK_ANSWER) expect(json).toContain(text);
    for (const text of [...BOKMAL_ANSWER, ...ENGLISH_ANSWER]) expect(json).not.toContain(text);
    expect((reply as { summary?: string } | undefined)?.summary).toContain('eva.ruud@ntnu.example');
  });

  it("names roles by the directory's nynorsk names in a nynorsk answer, and by the bokmål names in bokmål", async () => {
    const nynorsk = cardText(await bot.ask('Kven kan eg spørje om fakturering ved Institutt for kjemi?', newUser('nb-NO')));
    expect(nynorsk).toContain('Prosessansvarleg for Fordring til innbetaling');
    expect(nynorsk).not.toContain('Prosessansvarlig');
    const adviser = cardText(await bot.ask('Kven er prosessrådgjevar for innkjøp ved IIK?', newUser('nb-NO')));
    expect(adviser).toContain('Prosessrådgjevar');
    expect(adviser).not.toContain('Prosessrådgiver');
    const bokmal = cardText(await bot.ask('Hvem kan jeg spørre om fakturering ved Institutt for kjemi?', newUser('nn-NO')));
    expect(bokmal).toContain('Prosessansvarlig for Fordring til innbetaling');
  });

  it("answers follow-ups that bokmål and nynorsk write alike in the conversation's form", async () => {
    const user = newUser('nb-NO');
    await bot.ask('Kven er rådgjevar for innkjøp ved IFY?', user);
    const sameWords = cardText(await bot.ask('og for IKJ?', user));
    expect(sameWords).toContain('Institutt for kjemi (IKJ) har ingen eigen prosessrådgjevar');
    expect(sameWords).toContain('"lang":"nn"');
    expect(cardText(await bot.ask('kva med PBO?', user))).toContain('"lang":"nn"');
    // Bokmål shown by the message wins over the conversation.
    expect(cardText(await bot.ask('hva med IDI?', user))).toContain('"lang":"nb"');

    const bokmalUser = newUser('nn-NO');
    await bot.ask('Hvem er rådgiver for innkjøp ved IFY?', bokmalUser);
    expect(cardText(await bot.ask('og for IKJ?', bokmalUser))).toContain('"lang":"nb"');
  });

  it('says in nynorsk where errors are reported', async () => {
    const json = cardText(await bot.ask('Kvar melder eg feil i Unit4?'));
    expect(json).toContain('Slik melder du frå om feil');
    expect(json).toContain('kontakt@okavd.ntnu.no');
    expect(json).not.toContain('Slik melder du feil');
  });

  it('still answers bokmål in bokmål and English in English', async () => {
    const bokmal = cardText(await bot.ask('Hvem er prosessrådgiver for innkjøp ved IIK?', newUser('nn-NO')));
    for (const text of BOKMAL_ANSWER) expect(bokmal).toContain(text);
    for (const text of NYNORSK_ANSWER) expect(bokmal).not.toContain(text);

    const english = cardText(await bot.ask('Who is the process advisor for Btb at IIK?', newUser('nn-NO')));
    for (const text of ENGLISH_ANSWER) expect(english).toContain(text);
    for (const text of [...NYNORSK_ANSWER, ...BOKMAL_ANSWER]) expect(english).not.toContain(text);
  });

  it('follows a nynorsk Teams locale when the message does not show its language', async () => {
    const json = cardText(await bot.ask('Btb IIK', newUser('nn-NO')));
    for (const text of NYNORSK_ANSWER) expect(json).toContain(text);
  });

  it('asks for the unit in nynorsk, and the card answers in nynorsk once the unit is picked', async () => {
    const user = newUser('en-US');
    const asked = cardText(await bot.ask('kven er prosessrådgjevar for Btb hos oss?', user));
    expect(asked).toContain('Kva eining jobbar du ved?');
    expect(asked).toContain('Deretter svarar eg på spørsmålet ditt: «kven er prosessrådgjevar for Btb hos oss?»');
    expect(asked).toContain('"purpose":"own-unit"');
    expect(asked).toContain('"lang":"nn"');
    expect(asked).not.toContain('Hvilken enhet jobber du ved?');

    const before = bot.connector.messagesIn(user.conversationId).length;
    const response = await postCardAction(bot, user, 'chooseUnit', { unit: 'IIK', purpose: 'own-unit', question: 'kven er prosessrådgjevar for Btb hos oss?', lang: 'nn' });
    expect(response.status).toBe(200);
    const answer = response.body + cardText(bot.connector.messagesIn(user.conversationId).slice(before));
    expect(answer).toContain('Notert: du jobbar ved Institutt for informasjonssikkerhet og kommunikasjonsteknologi (IIK).');
    expect(answer).toContain('eva.ruud@ntnu.example');
    for (const text of NYNORSK_ANSWER) expect(answer).toContain(text);
    for (const text of BOKMAL_ANSWER) expect(answer).not.toContain(text);

    // The card's language wins over the client's locale even when the card holds no question to tell it.
    const missing = await postCardAction(bot, user, 'chooseUnit', { purpose: 'own-unit', question: '', lang: 'nn' });
    expect(missing.body).toContain('Vel ei eining først.');

    const shown = cardText(await bot.ask('kva eining er eg registrert på?', user));
    expect(shown).toContain('Du er registrert ved Institutt for informasjonssikkerhet og kommunikasjonsteknologi (IIK).');
    expect(shown).toContain('Endre eining');
  });

  it('gives the tabs their nynorsk texts when the page asks for nn', async () => {
    const texts = async (language: string) =>
      (await (await fetch(`${bot.app.url}/tabs/api/texts`, { headers: { 'accept-language': language } })).json()) as { locale: string; mine: { unit: { heading: string } } };
    expect(await texts('nn')).toMatchObject({ locale: 'nn-NO', mine: { unit: { heading: 'Eininga mi' } } });
    expect(await texts('nb')).toMatchObject({ locale: 'nb-NO', mine: { unit: { heading: 'Min enhet' } } });
    expect(await texts('en-GB')).toMatchObject({ locale: 'en-GB' });
  });
});

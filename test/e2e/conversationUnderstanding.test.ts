import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, newUser, type BotUnderTest, type TestUser } from '../support/botUnderTest';
import { ReferenceDirectory } from '../support/referenceDirectory';
import { uniqueTablePrefix } from '../support/storage';

/**
 * A conversation, not a sentence: follow-ups, the many ways of saying where
 * one works, explanations, honest declines, and one intent per message,
 * over the Bot Framework protocol.
 */
describe('understanding a conversation over the Bot Framework protocol', () => {
  let bot: BotUnderTest;
  const reference = new ReferenceDirectory();
  const everyone = reference.allEmails;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  /** Sends the turns in one chat and returns what the bot sent after the last, as one lower-cased string. */
  async function conversation(turns: string[], user: TestUser = newUser()): Promise<string> {
    let last: unknown[] = [];
    for (const turn of turns) last = await bot.ask(turn, user);
    return JSON.stringify(last).toLowerCase();
  }
  const people = (sent: string) => everyone.filter((email) => sent.includes(email));

  describe('follow-ups', () => {
    it('answers "og for PBO?" for the unit of the question before, not the user\'s own unit, and says so', async () => {
      const sent = await conversation(['jeg jobber på IDI', 'hvem er prosessrådgiver for Btb ved Institutt for fysikk?', 'og for PBO?']);
      expect(people(sent)).toEqual(expect.arrayContaining(reference.advisors('PBO', 'IFY')));
      for (const email of reference.advisors('PBO', 'IDI')) expect(sent).not.toContain(email);
      expect(sent).toContain('som i forrige spørsmål');
    });

    it('answers "what about the Department of Physics?" for the process of the question before', async () => {
      const sent = await conversation(['Who is the process advisor for budgeting at the Department of Chemistry?', 'what about the Department of Physics?'], newUser('en-US'));
      expect(people(sent).sort()).toEqual(reference.advisors('PBO', 'IFY').sort());
      expect(sent).toContain('as in your previous question');
    });

    it('goes up to the faculty for "og på fakultetsnivå?"', async () => {
      const sent = await conversation(['hvem er prosessrådgiver for prosjektøkonomi ved Institutt for filosofi og religionsvitenskap?', 'og på fakultetsnivå?']);
      expect(people(sent).sort()).toEqual(reference.advisors('PROSJ', 'HF').sort());
    });

    it('keeps the question in Table Storage, so another instance answers the follow-up', async () => {
      const tablePrefix = uniqueTablePrefix('shared');
      const first = await startBotUnderTest({ TABLE_PREFIX: tablePrefix }, bot.connector);
      const second = await startBotUnderTest({ TABLE_PREFIX: tablePrefix }, bot.connector);
      try {
        const user = newUser();
        await first.ask('hvem er prosessrådgiver for Btb ved Institutt for fysikk?', user);
        // A person reads the answer before writing the follow-up; the context is stored within CONTEXT_WRITE_DELAY_MS and a write.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const sent = JSON.stringify(await second.ask('og for PBO?', user)).toLowerCase();
        expect(people(sent).sort()).toEqual(reference.advisors('PBO', 'IFY').sort());
      } finally {
        await first.stop();
        await second.stop();
      }
    });

    it('says nothing was carried over when the answer does not depend on it', async () => {
      const sent = await conversation(['hvem er prosessrådgiver for PBO ved IIK?', 'who is the process manager for Btb?'], newUser('en-US'));
      expect(people(sent)).toEqual(reference.holders('prosessansvarlig', 'BTB'));
      expect(sent).not.toContain('previous question');
    });

    it('keeps the unit for "samme for prosjektøkonomi"', async () => {
      const sent = await conversation(['hvem er prosessrådgiver for PBO ved IIK?', 'samme for prosjektøkonomi']);
      expect(people(sent).sort()).toEqual(reference.advisors('PROSJ', 'IIK').sort());
    });
  });

  describe('where the user works', () => {
    it.each([
      ['Jeg er ansatt ved Institutt for fysikk', 'IFY'],
      ['jobber på IIK, bare så du vet det', 'IIK'],
      ["I'm employed at the Department of Chemistry", 'IKJ'],
      ['Eg er tilsett på Institutt for matematiske fag', 'IMF'],
      ['har nettopp begynt på Institutt for datateknologi og informatikk', 'IDI'],
      ['Min arbeidsplass er Institutt for geografi', 'IGEO'],
    ])('stores the unit of %j and answers "our unit" for it', async (statement, unit) => {
      const user = newUser();
      await conversation([statement], user);
      // A new conversation day: nothing from the question before, only the stored unit.
      const sent = await conversation(['hvem er prosessrådgiver for PBO hos oss?'], { ...user, conversationId: `${user.conversationId}-later` });
      expect(people(sent).sort()).toEqual(reference.advisors('PBO', unit).sort());
    });

    it('takes a bare unit in reply to "which unit?" as the user\'s unit and answers the waiting question', async () => {
      const user = newUser();
      const asked = await conversation(['hvem er prosessrådgiver for Btb?'], user);
      expect(people(asked)).toEqual([]);
      const sent = await conversation(['IIK'], user);
      expect(people(sent).sort()).toEqual(reference.advisors('BTB', 'IIK').sort());
      expect(await conversation(['hvilken enhet er jeg registrert på?'], user)).toContain('(iik)');
    });
  });

  describe('explanations', () => {
    it.each([
      ['hva er Btb?', 'behov til betaling'],
      ['what does Fti mean?', 'receivable to payment'],
      ['What is the Btb process about?', 'purchase to pay'],
      ['hvilken prosess hører reiseregning til?', 'lønn og lønnsnær hr'],
      // The process roles courses are for are explained by their process.
      ['hva er en kostnadsgodkjenner?', 'kostnadsgodkjenner er en prosessrolle i behov til betaling (btb)'],
      ['kva gjer ein fakturaansvarleg?', 'fakturaansvarleg er ei prosessrolle i fordring til innbetaling (fti)'],
      ['What is a requisitioner?', 'requisitioner is a process role in purchase to pay (btb)'],
    ])('explains %j without naming anyone', async (question, name) => {
      const sent = await conversation([question], newUser(/^[A-Za-z ?]+$/.test(question) && /what/i.test(question) ? 'en-US' : 'nb-NO'));
      expect(sent).toContain(name);
      expect(people(sent)).toEqual([]);
    });
  });

  describe('honest when it cannot help', () => {
    it("declines a question about one's own pay and says where to go, naming no one", async () => {
      const sent = await conversation(['hva er lønnen min?']);
      expect(sent).toContain('selvbetjeningsportalen');
      expect(sent).toContain('tjenestesenteret');
      expect(sent).not.toContain('"verb":"chooseprocess"');
      expect(people(sent)).toEqual([]);
    });

    it('declines the weather in bokmål, without taking "Trondheim" for a unit', async () => {
      const sent = await conversation(['hva blir været i Trondheim i morgen?'], newUser('en-US'));
      expect(sent).toContain('det kan jeg dessverre ikke svare på');
      expect(sent).not.toContain('kunstakademiet');
      expect(people(sent)).toEqual([]);
    });

    it('asks which unit, with buttons, when a town fits several units, and answers the unit written back', async () => {
      const user = newUser();
      const sent = await conversation(['kven er prosessrådgjevar for innkjøp i Ålesund?'], user);
      expect(people(sent)).toEqual([]);
      expect(sent).toContain('"iha"');
      expect(sent).toContain('"iba"');
      const answered = await conversation(['IBA'], user);
      expect(people(answered).sort()).toEqual(reference.advisors('BTB', 'IBA').sort());
    });
  });

  describe('one intent per message', () => {
    it('answers "hvem kan jeg kontakte for å forbedre Btb ved IE?" with the advisors, not a suggestion form', async () => {
      const sent = await conversation(['hvem kan jeg kontakte for å forbedre Btb ved IE?']);
      expect(people(sent).sort()).toEqual(reference.advisors('BTB', 'IE').sort());
      expect(sent).not.toContain('submitsuggestion');
    });

    it('reads "prosjektøkonom" as the asker\'s role and answers for the process named', async () => {
      const sent = await conversation(['jeg er prosjektøkonom ved IE, hvem er rådgiveren min for PBO?']);
      expect(people(sent).sort()).toEqual(reference.advisors('PBO', 'IE').sort());
    });
  });

  describe('language', () => {
    it('answers short Norwegian messages in Norwegian in a Norwegian conversation, whatever the client locale', async () => {
      const user = newUser('en-US');
      await conversation(['hvem er prosessrådgiver for Btb?'], user);
      const sent = await conversation(['IIK'], user);
      expect(sent).toContain('prosessrådgiver');
      expect(sent).not.toContain('process advisor');
      const events = await conversation(['neste fagkafé'], user);
      expect(events).not.toMatch(/no upcoming|upcoming/);
    });
  });
});

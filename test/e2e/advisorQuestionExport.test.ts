import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportLinks } from '../../src/suggestions/exportLinks';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

const SECRET = randomBytes(32).toString('hex');

/** The export card's download links, in the card's order: suggestions CSV, workbook, questions CSV. */
const linksIn = (messages: unknown): string[] => [...JSON.stringify(messages).matchAll(/"type":"Action.OpenUrl","title":"[^"]*","url":"([^"]+)"/g)].map((match) => match[1] ?? '');

describe('the questions to the advisors in the suggestions export, end to end', () => {
  let bot: BotUnderTest;
  let asker: NamedUser;
  let advisor: NamedUser;
  let coordinator: NamedUser;
  let outsider: NamedUser;
  let btbQuestion: string;
  let payrollQuestion: string;

  const ask = async (process: string, text: string) => {
    const form = { process, unit: 'IDI', text, shareable: 'true', lang: 'nb', formId: randomUUID() };
    const card = invokeCard(await bot.post(cardAction(bot, asker, 'submitAdvisorQuestion', form)));
    return /SP-\d{4}-\d{4}/.exec(card)?.[0] ?? '';
  };

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', EXPORT_LINK_SECRET: SECRET });
    asker = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    advisor = namedUser(bot, 'Audun Brekke', 'audun.brekke@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    for (const user of [asker, advisor, coordinator, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
    btbQuestion = await ask('BTB', '=Hvordan bestiller jeg fra en ny leverandør?');
    payrollQuestion = await ask('LONN', 'Når kommer feriepengene?');
    await waitFor(() => bot.connector.messagesIn(advisor.conversationId).find((message) => JSON.stringify(message).includes(btbQuestion)), 15_000, 'the routed card');
    await bot.post(cardAction(bot, advisor, 'advisorQuestionAction', { id: btbQuestion, action: 'answer', comment: 'Bruk malen i Unit4.', view: 'handler', lang: 'nb' }));
  });
  afterAll(async () => bot.stop());

  it("gives a coordinator the questions of the export's processes as a CSV of their own and a second sheet of the workbook", async () => {
    const card = await bot.ask('eksporter forslag for Btb', coordinator);
    expect(JSON.stringify(card)).toContain('Spørsmålene til prosessrådgiverne fra de samme prosessene');
    const [csvUrl, xlsxUrl, questionsUrl] = linksIn(card);
    expect(questionsUrl).toMatch(/\.questions\.csv$/);

    const response = await fetch(questionsUrl ?? '');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="sporsmal-til-prosessradgiverne-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const rows = parse<Record<string, string>>(Buffer.from(await response.arrayBuffer()), { bom: true, delimiter: ';', columns: true });
    expect(rows.map((row) => row.Nummer)).toEqual([btbQuestion]);
    expect(rows[0]).toMatchObject({
      Prosess: 'Behov til betaling',
      // Text that would run as a formula in Excel is kept as text.
      Spørsmål: "'=Hvordan bestiller jeg fra en ny leverandør?",
      Status: 'Besvart',
      'Stilt av': 'Kari Ansatt',
      'Kan deles': 'Ja',
      Svar: 'Bruk malen i Unit4.',
      'Besvart av': 'Audun Brekke',
    });

    // The suggestions' CSV is as it was: suggestions only.
    const suggestions = await fetch(csvUrl ?? '');
    expect(await suggestions.text()).not.toContain(btbQuestion);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (await fetch(xlsxUrl ?? '')).arrayBuffer());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Forbedringsforslag', 'Spørsmål']);
    const sheet = workbook.getWorksheet('Spørsmål');
    expect(sheet?.getRow(1).getCell(1).value).toBe('Nummer');
    expect(sheet?.rowCount).toBe(2);
    expect(sheet?.getRow(2).getCell(1).value).toBe(btbQuestion);
    expect(sheet?.getRow(2).getCell(2).value).toBeInstanceOf(Date);

    // In English, with no filter: both questions, headed in English.
    const english = linksIn(await bot.ask('export suggestions', { ...coordinator, locale: 'en-GB' }));
    const all = parse<Record<string, string>>(Buffer.from(await (await fetch(english[2] ?? '')).arrayBuffer()), { bom: true, delimiter: ';', columns: true });
    expect(all.map((row) => row.Number).sort()).toEqual([btbQuestion, payrollQuestion].sort());
  });

  it('refuses the questions to anyone but the coordinators, and links that are forged, expired or not a questions CSV', async () => {
    const refusal = JSON.stringify(await bot.ask('eksporter forslag', outsider));
    expect(refusal).toContain('Bare forvaltningskoordinator kan eksportere forbedringsforslag.');
    expect(refusal).not.toContain('Action.OpenUrl');

    const [, xlsxUrl, questionsUrl] = linksIn(await bot.ask('eksporter forslag', coordinator));
    const notOne = await fetch((xlsxUrl ?? '').replace(/\.xlsx$/, '.questions.xlsx'));
    expect(notOne.status).toBe(404);
    expect(await notOne.text()).toContain('Fant ikke eksporten.');
    const forged = (questionsUrl ?? '').replace(
      /\.([A-Za-z0-9_-])([A-Za-z0-9_-]*)\.questions\.csv$/,
      (_all, first: string, rest: string) => `.${first === 'A' ? 'B' : 'A'}${rest}.questions.csv`,
    );
    expect(forged).not.toBe(questionsUrl);
    expect((await fetch(forged)).status).toBe(404);

    const signedAt = (now: Date) => new ExportLinks({ secret: Buffer.from(SECRET, 'utf8'), baseUrl: () => bot.app.url, lifetimeMs: 15 * 60_000, now: () => now });
    const everything = { processes: [], states: [], createdFrom: null, createdTo: null };
    const expired = await fetch(
      signedAt(new Date(Date.now() - 60 * 60_000)).create({ id: coordinator.aadObjectId, name: coordinator.name, email: coordinator.email }, everything, 'nb').questionsCsvUrl,
    );
    expect(expired.status).toBe(403);
    const asOutsider = await fetch(signedAt(new Date()).create({ id: outsider.aadObjectId, name: outsider.name, email: outsider.email }, everything, 'nb').questionsCsvUrl);
    expect(asOutsider.status).toBe(403);
    expect(await asOutsider.text()).toContain('Bare forvaltningskoordinator kan laste ned');
  });
});

import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportLinks } from '../../src/suggestions/exportLinks';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser, type TestChannel } from '../support/teamsUsers';

const DAY = 24 * 60 * 60 * 1000;
const SECRET = randomBytes(32).toString('hex');

/** The download links of the export card among the messages. */
const exportLinksIn = (messages: unknown[]): { csv: string; xlsx: string } => {
  const urls = [...JSON.stringify(messages).matchAll(/"type":"Action.OpenUrl","title":"[^"]*","url":"([^"]+)"/g)].map((match) => match[1] ?? '');
  const csv = urls.find((url) => url.endsWith('.csv'));
  const xlsx = urls.find((url) => url.endsWith('.xlsx'));
  if (!csv || !xlsx) throw new Error(`no export links in ${JSON.stringify(messages).slice(0, 500)}`);
  return { csv, xlsx };
};

describe('reminders, the weekly digest and the export end to end', () => {
  let bot: BotUnderTest;
  let submitter: NamedUser;
  let coordinator: NamedUser;
  let outsider: NamedUser;
  let channel: TestChannel;
  let btbId: string;
  let payrollId: string;

  beforeAll(async () => {
    bot = await startBotUnderTest({
      OUTBOX_POLL_SECONDS: '0.2',
      LOG_LEVEL: 'error',
      EXPORT_LINK_SECRET: SECRET,
      COORDINATORS: 'ida.koordinator@ntnu.example',
    });
    submitter = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    for (const user of [submitter, coordinator, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
    channel = testChannel('Btb-teamet IE');
    await bot.post(channelMessage(bot, coordinator, channel, 'registrer kanalen for Btb ved IE'));

    btbId = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: 'Felles mal for bestilling av kurs' })))));
    payrollId = suggestionIdIn(
      invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ process: 'LONN', title: 'Enklere timelister', system: 'dfo-appen' })))),
    );
    await waitFor(() => bot.connector.messagesIn(channel.id).find((m) => JSON.stringify(m).includes(btbId)), 15_000, 'the routed card in the channel');
  });
  afterAll(async () => bot.stop());

  it('reminds the channel of a suggestion nobody has acted on, once for the quiet period', async () => {
    const reminders = () => bot.connector.messagesIn(channel.id).filter((m) => JSON.stringify(m).includes(`Påminnelse: ${btbId}`));
    // Fifteen days on, as the scheduler would see it.
    await bot.app.followUp.runOnce(new Date(Date.now() + 15 * DAY));
    const reminder = JSON.stringify(await waitFor(() => reminders()[0], 15_000, 'the reminder in the channel'));
    expect(reminder).toContain(`Påminnelse: ${btbId} har ventet i 15 dager uten at noe har skjedd`);
    // The card comes along, with the buttons to act on it.
    expect(reminder).toContain('"verb":"suggestionAction"');
    expect(reminder).toContain('Felles mal for bestilling av kurs');

    // Another pass (another instance, or the next hour) finds the same quiet period.
    await bot.app.followUp.runOnce(new Date(Date.now() + 16 * DAY));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(reminders()).toHaveLength(1);
  });

  it('sends the coordinators the weekly digest of counts by process and state, to each once they have the bot', async () => {
    // Monday 2 March 2026, 08:30 in Oslo.
    await bot.app.followUp.runOnce(new Date('2026-03-02T07:30:00Z'));
    const digestIn = (user: NamedUser) => () => bot.connector.messagesIn(user.conversationId).find((m) => JSON.stringify(m).includes('uke 10 2026'));
    const digest = JSON.stringify(await waitFor(digestIn(coordinator), 15_000, "the coordinator's digest"));
    expect(digest).toContain('Ukesoversikt over forbedringsforslag, uke 10 2026');
    expect(digest).toContain('"title":"Forslag i alt","value":"2"');
    expect(digest).toContain('Behov til betaling');
    expect(digest).toContain('Lønn og lønnsnær HR');
    expect(digest).toContain('"title":"Ny","value":"1"');
    // The payroll advisors have not installed the bot: the card waits.
    expect(digest).toContain('"title":"Venter på levering","value":"1"');

    // The coordinator named in COORDINATORS has no chat with the bot yet: the digest waits for it.
    const ida = namedUser(bot, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
    await bot.post(personalMessage(bot, ida, 'hei'));
    await waitFor(digestIn(ida), 30_000, "the second coordinator's digest after install");
  });

  it('refuses the export to anyone but the coordinators', async () => {
    const answer = JSON.stringify(await bot.ask('eksporter forslag', outsider));
    expect(answer).toContain('Bare forvaltningskoordinator kan eksportere forbedringsforslag.');
    expect(answer).not.toContain('Action.OpenUrl');
  });

  it('gives a coordinator links that download the selection as CSV and XLSX', async () => {
    const card = await bot.ask('eksporter forslag for Btb siste 90 dager', coordinator);
    const text = JSON.stringify(card);
    expect(text).toContain('Eksport av forbedringsforslag');
    expect(text).toContain('1 forslag passer utvalget.');
    const links = exportLinksIn(card);
    expect(links.csv.startsWith(`${bot.app.url}/exports/`)).toBe(true);

    const csvResponse = await fetch(links.csv);
    expect(csvResponse.status).toBe(200);
    expect(csvResponse.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvResponse.headers.get('content-disposition')).toMatch(/^attachment; filename="forbedringsforslag-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csvResponse.headers.get('cache-control')).toBe('no-store');
    const csv = Buffer.from(await csvResponse.arrayBuffer());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse<Record<string, string>>(csv, { bom: true, delimiter: ';', columns: true });
    expect(rows.map((row) => row.Nummer)).toEqual([btbId]);
    expect(rows[0]).toMatchObject({ Prosess: 'Behov til betaling', Status: 'Ny', 'Innsendt av': 'Kari Ansatt', Tittel: 'Felles mal for bestilling av kurs' });

    const xlsxResponse = await fetch(links.xlsx);
    expect(xlsxResponse.status).toBe(200);
    expect(xlsxResponse.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsxResponse.arrayBuffer());
    const sheet = workbook.getWorksheet('Forbedringsforslag');
    expect(sheet?.rowCount).toBe(2);
    expect(sheet?.getRow(2).getCell(1).value).toBe(btbId);
    expect(sheet?.getRow(2).getCell(2).value).toBeInstanceOf(Date);

    // From Teams in English, and with no filter: both suggestions.
    const english = await bot.ask('export suggestions', { ...coordinator, locale: 'en-GB' });
    expect(JSON.stringify(english)).toContain('Export of improvement suggestions');
    const all = parse<Record<string, string>>(Buffer.from(await (await fetch(exportLinksIn(english).csv)).arrayBuffer()), { bom: true, delimiter: ';', columns: true });
    expect(all.map((row) => row.Number).sort()).toEqual([btbId, payrollId].sort());
  });

  it('refuses forged, expired and no longer permitted links with a message in both languages', async () => {
    const { csv } = exportLinksIn(await bot.ask('eksporter forslag', coordinator));
    const forged = csv.replace(/\.([A-Za-z0-9_-])([A-Za-z0-9_-]*)\.csv$/, (_all, first: string, rest: string) => `.${first === 'A' ? 'B' : 'A'}${rest}.csv`);
    expect(forged).not.toBe(csv);
    for (const url of [forged, `${bot.app.url}/exports/nonsense.xlsx`]) {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      const body = await response.text();
      expect(body).toContain('Fant ikke eksporten.');
      expect(body).toContain('Export not found.');
    }

    const signedElsewhen = (now: Date) => new ExportLinks({ secret: Buffer.from(SECRET, 'utf8'), baseUrl: () => bot.app.url, lifetimeMs: 15 * 60_000, now: () => now });
    const everything = { processes: [], states: [], createdFrom: null, createdTo: null };
    const asCoordinator = { id: coordinator.aadObjectId, name: coordinator.name, email: coordinator.email };
    const expired = await fetch(signedElsewhen(new Date(Date.now() - 60 * 60_000)).create(asCoordinator, everything, 'nb').urls.xlsx);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Nedlastingslenken er utløpt.');

    // A genuine link for someone who is not a coordinator (the directory may have changed since) is refused too.
    const asOutsider = { id: outsider.aadObjectId, name: outsider.name, email: outsider.email };
    const refused = await fetch(signedElsewhen(new Date()).create(asOutsider, everything, 'nb').urls.csv);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Bare forvaltningskoordinator kan laste ned');
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { Understander } from '../../src/understanding/understandTurn';
import { parseExportRequest as parseExportReading } from '../../src/suggestions/exportCommand';
import { ExportLinks } from '../../src/suggestions/exportLinks';
import { filterSuggestions, resolvePeriod, type ExportFilter } from '../../src/suggestions/exportSuggestions';
import { exportRows, suggestionsCsv, suggestionsXlsx } from '../../src/teams/suggestions/exportFile';
import type { Route, Suggestion, SuggestionDraft } from '../../src/suggestions/model';
import type { Actor } from '../../src/core/actor';
import { parseSuggestionCommand as parseSuggestionReading } from '../../src/suggestions/suggestionCommands';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const submitter: Actor = { id: 'u-kari', name: 'Kari Ærlig-Øvre', email: 'kari@ntnu.example' };
const advisor: Actor = { id: 'u-audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const route: Route = { target: { kind: 'people', people: [{ name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' }], label: 'Audun Brekke' }, level: 'local', unitCode: 'IE' };
const draft: SuggestionDraft = { process: 'BTB', unit: 'IDI', title: 'Tittel', description: 'Beskrivelse', potential: 'Potensial', system: 'unit4', mayContact: true };
const ALL: ExportFilter = { processes: [], states: [], createdFrom: null, createdTo: null };

describe('exporting suggestions as CSV and XLSX, from Azurite', () => {
  let index: DirectoryIndex;
  let suggestions: Suggestion[];
  let winter: Suggestion;
  let summer: Suggestion;

  beforeAll(async () => {
    index = await seededDirectoryIndex();
    const store = await TableSuggestionStore.open(testConnectionString(), `${uniqueTablePrefix('ex')}suggestions`);
    const create = async (at: string, extra: Partial<SuggestionDraft>) =>
      (await store.create({ draft: { ...draft, ...extra }, submitter, route, now: new Date(at), language: 'nb', idempotencyKey: randomUUID() })).stored;
    // Winter time: 08:15 UTC is 09:15 in Oslo. The text needs quoting: the separator, quotes and a line break.
    const first = await create('2026-03-02T08:15:00Z', {
      title: 'Færre «manuelle» steg; bedre flyt',
      description: 'Linje én\nLinje to med "anførselstegn"',
    });
    const rejected = await store.update(
      {
        ...first.suggestion,
        state: 'avslatt',
        assignee: advisor,
        updatedAt: '2026-03-05T13:00:00.000Z',
        history: [
          ...first.suggestion.history,
          { at: '2026-03-04T09:00:00.000Z', by: advisor, action: 'take', from: 'ny', to: 'under-vurdering', comment: null },
          { at: '2026-03-05T13:00:00.000Z', by: advisor, action: 'reject', from: 'under-vurdering', to: 'avslatt', comment: 'Dekkes av rammeavtalen.' },
        ],
      },
      first.etag,
    );
    winter = rejected.suggestion;
    // Summer time: 08:15 UTC is 10:15 in Oslo. A title that would be a formula in Excel.
    summer = (await create('2026-06-15T08:15:00Z', { process: 'LONN', unit: 'TJS', title: '=HYPERLINK("http://example.invalid")', system: 'dfo-appen', mayContact: false }))
      .suggestion;
    // 22:30 UTC on 31 March is already 1 April in Oslo.
    await create('2026-03-31T22:30:00Z', { process: 'PBO', title: 'Natt til april' });
    suggestions = await store.list();
  });

  it('filters by process, state and the Norwegian dates of submission', () => {
    const ids = (filter: Partial<ExportFilter>) => filterSuggestions(suggestions, { ...ALL, ...filter }).map((s) => s.title);
    expect(ids({})).toEqual(['Færre «manuelle» steg; bedre flyt', 'Natt til april', '=HYPERLINK("http://example.invalid")']);
    expect(ids({ processes: ['BTB', 'LONN'] })).toEqual(['Færre «manuelle» steg; bedre flyt', '=HYPERLINK("http://example.invalid")']);
    expect(ids({ states: ['avslatt'] })).toEqual(['Færre «manuelle» steg; bedre flyt']);
    expect(ids({ states: ['ny'], processes: ['BTB'] })).toEqual([]);
    expect(ids({ createdTo: '2026-03-31' })).toEqual(['Færre «manuelle» steg; bedre flyt']);
    expect(ids({ createdFrom: '2026-04-01', createdTo: '2026-04-01' })).toEqual(['Natt til april']);
    expect(ids({ createdFrom: '2026-04-02' })).toEqual(['=HYPERLINK("http://example.invalid")']);
  });

  it('writes CSV that Norwegian Excel opens: BOM, semicolons, CRLF, quoted text, Oslo times, no formulas', () => {
    const csv = suggestionsCsv(exportRows(filterSuggestions(suggestions, { ...ALL, processes: ['BTB', 'LONN'] }), index, 'nb'), 'nb');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      '\ufeffNummer;Innsendt;Prosess;Enhet;Tittel;Endring;Forbedringspotensial;System;Status;Saksbehandler;Innsendt av;Kan kontaktes;Sendt til;Sist endret;Historikk',
    );
    const rows = parse<Record<string, string>>(csv, { bom: true, delimiter: ';', columns: true });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      Nummer: winter.id,
      Innsendt: '2026-03-02 09:15',
      Prosess: 'Behov til betaling',
      Enhet: expect.stringContaining('(IDI)'),
      Tittel: 'Færre «manuelle» steg; bedre flyt',
      Endring: 'Linje én\nLinje to med "anførselstegn"',
      Forbedringspotensial: 'Potensial',
      System: 'Unit4',
      Status: 'Avslått',
      Saksbehandler: 'Audun Brekke',
      'Innsendt av': 'Kari Ærlig-Øvre',
      'Kan kontaktes': 'Ja',
      'Sendt til': 'Audun Brekke',
      'Sist endret': '2026-03-05 14:00',
      Historikk: '2026-03-02 09:15 Kari Ærlig-Øvre sendte inn forslaget | 2026-03-04 10:00 Audun Brekke tok saken | 2026-03-05 14:00 Audun Brekke avslo «Dekkes av rammeavtalen.»',
    });
    expect(rows[1]).toMatchObject({
      Nummer: summer.id,
      Innsendt: '2026-06-15 10:15',
      Prosess: 'Lønn og lønnsnær HR',
      Tittel: `'=HYPERLINK("http://example.invalid")`,
      'Kan kontaktes': 'Nei',
      System: 'DFØ-appen',
    });
  });

  it('writes a workbook with a frozen header row, column widths and real dates in Oslo time', async () => {
    const xlsx = await suggestionsXlsx(exportRows(filterSuggestions(suggestions, ALL), index, 'en'), 'en');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Improvement suggestions');
    if (!sheet) throw new Error('no sheet');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Number',
      'Submitted',
      'Process',
      'Unit',
      'Title',
      'Change',
      'Improvement potential',
      'System',
      'State',
      'Handled by',
      'Submitted by',
      'May be contacted',
      'Sent to',
      'Last changed',
      'History',
    ]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getColumn(6).width).toBe(60);
    const first = sheet.getRow(2);
    expect(first.getCell(1).value).toBe(winter.id);
    // The wall-clock time in Oslo, as Excel shows it (Excel dates carry no zone).
    expect(first.getCell(2).value).toEqual(new Date(Date.UTC(2026, 2, 2, 9, 15)));
    expect(first.getCell(2).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(first.getCell(3).value).toBe('Purchase to pay');
    expect(first.getCell(6).value).toBe('Linje én\nLinje to med "anførselstegn"');
    expect(first.getCell(9).value).toBe('Rejected');
    expect(first.getCell(14).value).toEqual(new Date(Date.UTC(2026, 2, 5, 14, 0)));
    const last = sheet.getRow(4);
    expect(last.getCell(2).value).toEqual(new Date(Date.UTC(2026, 5, 15, 10, 15)));
    // Typed cells cannot turn into formulas, so the text stays as typed.
    expect(last.getCell(5).value).toBe('=HYPERLINK("http://example.invalid")');
  });
});

describe('the export command', () => {
  let understander: Understander;
  beforeAll(async () => {
    understander = Understander.for(await seededDirectoryIndex());
  });
  const parseSuggestionCommand = (text: string) => parseSuggestionReading(understander.read(text));
  const parseExportRequest = (text: string) => parseExportReading(understander.read(text));

  it('reads processes, states and the period from chat', () => {
    expect(parseSuggestionCommand('eksporter forslag')).toEqual({ kind: 'export', processes: [], states: [], period: { kind: 'any' } });
    expect(parseSuggestionCommand('export suggestions')).toMatchObject({ kind: 'export' });
    expect(parseSuggestionCommand('eksporter forslag for Btb avslått siste 90 dager')).toEqual({
      kind: 'export',
      processes: ['BTB'],
      states: ['avslatt'],
      period: { kind: 'last', amount: 90, unit: 'days' },
    });
    expect(parseExportRequest('eksporter åpne forslag for lønn og PBO fra 31.03.2026 til 2026-01-01')).toEqual({
      // The process named by its code comes before the one named by an everyday word.
      processes: ['PBO', 'LONN'],
      states: ['ny', 'under-vurdering', 'videresendt', 'sendt-bott', 'parkert'],
      period: { kind: 'between', from: '2026-01-01', to: '2026-03-31' },
    });
    expect(parseExportRequest('export rejected and withdrawn suggestions for project finance in 2026')).toEqual({
      processes: ['PROSJ'],
      states: ['avslatt', 'trukket'],
      period: { kind: 'between', from: '2026-01-01', to: '2026-12-31' },
    });
    expect(parseExportRequest('eksporter parkerte forslag siste måned').period).toEqual({ kind: 'last', amount: 1, unit: 'months' });
    expect(parseExportRequest('eksporter forslag før 1.4.2026').period).toEqual({ kind: 'between', from: null, to: '2026-04-01' });
    // Other commands are not exports.
    expect(parseSuggestionCommand('mine forslag')).toEqual({ kind: 'mine' });
  });

  it('fixes a relative period to Norwegian dates when the links are made', () => {
    // 23:30 UTC on 30 June is 1 July in Oslo.
    expect(resolvePeriod({ kind: 'last', amount: 90, unit: 'days' }, new Date('2026-06-30T23:30:00Z'))).toEqual({ createdFrom: '2026-04-02', createdTo: null });
    expect(resolvePeriod({ kind: 'any' }, new Date())).toEqual({ createdFrom: null, createdTo: null });
  });
});

describe('export download links', () => {
  const coordinator: Actor = { id: 'u-gry', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' };
  const filter: ExportFilter = { processes: ['BTB'], states: ['avslatt'], createdFrom: '2026-01-01', createdTo: null };
  const links = (secret: Buffer, now: Date) => new ExportLinks({ secret, baseUrl: () => 'https://bot.example/', lifetimeMs: 15 * 60_000, now: () => now });

  it('carries the grant, signed, until it expires', () => {
    const secret = randomBytes(32);
    const made = links(secret, new Date('2026-03-02T10:00:00Z')).create(coordinator, filter, 'nb');
    expect(made.expiresAt).toEqual(new Date('2026-03-02T10:15:00Z'));
    const match = /^https:\/\/bot\.example\/exports\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.csv$/.exec(made.urls.csv);
    const token = match?.[1] ?? '';
    expect(made.urls.xlsx).toBe(`https://bot.example/exports/${token}.xlsx`);

    expect(links(secret, new Date('2026-03-02T10:14:59Z')).check(token)).toEqual({
      kind: 'valid',
      grant: { coordinator, subject: { kind: 'suggestions', filter }, language: 'nb', expiresAt: made.expiresAt },
    });

    const undelivered = links(secret, new Date('2026-03-02T10:00:00Z')).createUndelivered(coordinator, 'KU-2026-0007', 'en');
    const undeliveredToken = /exports\/(.+)\.csv$/.exec(undelivered.url)?.[1] ?? '';
    expect(links(secret, new Date('2026-03-02T10:01:00Z')).check(undeliveredToken)).toEqual({
      kind: 'valid',
      grant: { coordinator, subject: { kind: 'undelivered', announcementId: 'KU-2026-0007' }, language: 'en', expiresAt: undelivered.expiresAt },
    });
    expect(links(secret, new Date('2026-03-02T10:15:00Z')).check(token).kind).toBe('expired');
  });

  it('refuses forged, altered and garbled tokens', () => {
    const secret = randomBytes(32);
    const now = new Date('2026-03-02T10:00:00Z');
    const token = /exports\/(.+)\.csv$/.exec(links(secret, now).create(coordinator, filter, 'nb').urls.csv)?.[1] ?? '';
    const [body = '', signature = ''] = token.split('.');
    // Signed with another key, a body widened to every process, a changed signature, and no token at all.
    expect(links(randomBytes(32), now).check(token)).toEqual({ kind: 'invalid' });
    const widened = Buffer.from(Buffer.from(body, 'base64url').toString('utf8').replace('["BTB"]', '[]')).toString('base64url');
    expect(links(secret, now).check(`${widened}.${signature}`)).toEqual({ kind: 'invalid' });
    expect(links(secret, now).check(`${body}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`)).toEqual({ kind: 'invalid' });
    expect(links(secret, now).check('')).toEqual({ kind: 'invalid' });
    expect(links(secret, now).check('a.b.c')).toEqual({ kind: 'invalid' });
  });
});

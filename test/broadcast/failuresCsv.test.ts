import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { failedRecipients, failuresCsv } from '../../src/broadcast/failuresCsv';
import { announcementTexts } from '../../src/i18n';
import { recipientRecord as recipient } from './support';

const list = [
  recipient({ conversationId: 'a:1', label: 'Øystein Ås', state: 'unreachable', lastStatus: 403, lastError: '403: The bot is blocked' }),
  recipient({
    conversationId: 'a:2',
    label: 'Anne; "Kari" Berg',
    state: 'failed',
    lastStatus: 503,
    lastError: 'Gave up after 6 failed attempts: 503: Service Unavailable',
    attempts: 6,
  }),
  recipient({ conversationId: 'a:3', label: 'Bjørn', state: 'sent' }),
  recipient({ conversationId: 'a:4', label: '=HYPERLINK("http://evil")', state: 'failed', lastError: '-1 network' }),
  recipient({ conversationId: '19:kanal@thread.tacv2', label: null, state: 'unreachable', lastStatus: 404, lastError: '404: Conversation not found' }),
];

describe('failures', () => {
  it('lists the failed, then the unreachable, each by name, and leaves out the delivered', () => {
    expect(failedRecipients(list).map((entry) => entry.conversationId)).toEqual(['a:4', 'a:2', '19:kanal@thread.tacv2', 'a:1']);
  });

  it('exports them as ;-separated UTF-8 with a byte order mark, quoted where needed, formulas defused', () => {
    const csv = failuresCsv(list, {
      label: 'Mottaker',
      conversationId: 'Samtale',
      state: 'Status',
      status: 'HTTP-status',
      reason: 'Årsak',
      attempts: 'Forsøk',
      updatedAt: 'Siste forsøk (UTC)',
    });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\uFEFFMottaker;Samtale;Status;HTTP-status;Årsak;Forsøk;Siste forsøk (UTC)');
    const rows = parse<Record<string, string>>(text, { bom: true, delimiter: ';', columns: true });
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      Mottaker: `'=HYPERLINK("http://evil")`,
      Samtale: 'a:4',
      Status: 'failed',
      'HTTP-status': '',
      Årsak: "'-1 network",
      Forsøk: '1',
      'Siste forsøk (UTC)': '2026-03-02T08:00:00.000Z',
    });
    expect(rows[1]).toMatchObject({ Mottaker: 'Anne; "Kari" Berg', 'HTTP-status': '503', Forsøk: '6' });
    expect(rows[3]).toMatchObject({ Mottaker: 'Øystein Ås', Status: 'unreachable', Årsak: '403: The bot is blocked' });
  });

  it('has a header line even with no failures', () => {
    expect(failuresCsv([], announcementTexts('en').undelivered.csvHeaders).toString('utf8')).toBe(
      '\uFEFFRecipient;Conversation;State;HTTP status;Reason;Attempts;Last attempt (UTC)\r\n',
    );
  });

  it("gives why the app could not be installed for someone in the coordinator's language, with Graph's own message after it", () => {
    const install = [
      recipient({
        conversationId: 'install:eva@ntnu.example',
        label: 'eva@ntnu.example',
        state: 'unreachable',
        installFor: 'eva@ntnu.example',
        installation: 'blocked',
        lastStatus: 403,
        lastError: '403 Forbidden: blocked by policy',
        attempts: 0,
      }),
      recipient({
        conversationId: 'install:ola@ntnu.example',
        label: 'ola@ntnu.example',
        state: 'unreachable',
        installFor: 'ola@ntnu.example',
        installation: 'not-found',
        lastStatus: 404,
        lastError: null,
        attempts: 0,
      }),
    ];
    for (const language of ['nb', 'nn', 'en'] as const) {
      const t = announcementTexts(language).undelivered;
      const rows = parse<Record<string, string>>(failuresCsv(install, t.csvHeaders, t.installation).toString('utf8'), { bom: true, delimiter: ';', columns: true });
      expect(rows.map((row) => row[t.csvHeaders.reason])).toEqual([`${t.installation.blocked} (403 Forbidden: blocked by policy)`, t.installation['not-found']]);
    }
    expect(announcementTexts('nb').undelivered.installation.blocked).toContain('policy for Teams-apper');
  });
});

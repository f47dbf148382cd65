import { beforeAll, describe, expect, it } from 'vitest';
import { parseAnnouncementCommand as parseReading } from '../../src/announcements/announcementCommands';
import { sampleUnderstander, type ChatUnderstander } from '../support/understanding';

let understander: ChatUnderstander;
beforeAll(async () => {
  understander = await sampleUnderstander();
});
const parseAnnouncementCommand = (text: string) => parseReading(understander.read(text));

describe('announcement commands in chat', () => {
  it('opens a new announcement in either language', () => {
    for (const text of ['ny kunngjøring', 'Ny kunngjoring', 'lag en kunngjøring', 'new announcement', 'create an announcement']) {
      expect(parseAnnouncementCommand(text), text).toEqual({ kind: 'new' });
    }
  });

  it('changes, cancels and shows an announcement by its number, padding a short one', () => {
    expect(parseAnnouncementCommand('endre kunngjøring KU-2026-0007')).toEqual({ kind: 'amend', id: 'KU-2026-0007' });
    expect(parseAnnouncementCommand('change announcement ku-2026-7')).toEqual({ kind: 'amend', id: 'KU-2026-0007' });
    expect(parseAnnouncementCommand('avlys KU-2026-0007')).toEqual({ kind: 'cancel', id: 'KU-2026-0007' });
    expect(parseAnnouncementCommand('status KU-2026-0007')).toEqual({ kind: 'status', id: 'KU-2026-0007' });
    expect(parseAnnouncementCommand('KU-2026-0007')).toEqual({ kind: 'status', id: 'KU-2026-0007' });
  });

  it('lists whom an announcement did not reach, in bokmål, nynorsk and English', () => {
    for (const text of [
      'ikke levert KU-2026-0007',
      'hvem fikk ikke KU-2026-0007?',
      'kven fekk ikkje KU-2026-7',
      'undelivered KU-2026-0007',
      'who was not reached by KU-2026-0007',
      'feil for KU-2026-0007',
    ]) {
      expect(parseAnnouncementCommand(text), text).toEqual({ kind: 'undelivered', id: 'KU-2026-0007' });
    }
  });

  it('asks which when no number is given, but only for a request', () => {
    expect(parseAnnouncementCommand('endre kunngjøringen')).toEqual({ kind: 'amend', id: null });
    expect(parseAnnouncementCommand('avlys kunngjøringen')).toEqual({ kind: 'cancel', id: null });
    expect(parseAnnouncementCommand('hvilke kunngjøringer er endret?')).toBeNull();
  });

  it('leaves everything else to the other capabilities, also other commands that name an announcement', () => {
    for (const text of ['hvilke kurs kommer?', 'jeg er prosjektøkonom', 'forbedringsforslag', 'legg til opptak KU-2026-0007 https://example.org/opptak', 'status FF-2026-0001']) {
      expect(parseAnnouncementCommand(text), text).toBeNull();
    }
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Announcement } from '../../src/announcements/model';
import { announcementFormValues, osloInstant, validateAnnouncement, type RawAnnouncementForm, type ValidationContext } from '../../src/announcements/validateAnnouncement';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { announcementForm } from '../support/announcementForms';
import { seededDirectoryIndex } from '../support/seededDirectory';

const NOW = new Date('2026-11-27T09:00:00Z');
const channel = { conversationId: '19:kurs@thread.tacv2', label: 'Økonomi › Kurs' };

describe('validating the announcement form', () => {
  let index: DirectoryIndex;
  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });
  const context = (overrides: Partial<ValidationContext> = {}): ValidationContext => ({ now: NOW, index, channels: [channel], withDistribution: true, ...overrides });
  const validate = (overrides: RawAnnouncementForm, contextOverrides: Partial<ValidationContext> = {}) =>
    validateAnnouncement(announcementForm(overrides), context(contextOverrides));

  it('turns a valid form into the event and its distribution, times in Norwegian winter time', () => {
    const result = validate({ units: 'IE,HF', channels: channel.conversationId, registrationUrl: 'https://innsida.ntnu.no/kurs' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.details).toMatchObject({
      kind: 'fagkafe',
      startsAt: '2026-12-09T09:00:00.000Z',
      endsAt: '2026-12-09T10:30:00.000Z',
      place: 'Rom R9, Realfagbygget',
      meetingUrl: null,
      registrationUrl: 'https://innsida.ntnu.no/kurs',
    });
    expect(result.distribution).toEqual({ audience: { everyone: false, roles: [], processes: [], units: ['IE', 'HF'] }, channels: [channel], sendAt: null });
  });

  it('reads summer time as UTC+2 and lets an event run over several days', () => {
    const result = validate({ startDate: '2027-06-10', startTime: '09:00', endDate: '2027-06-11', endTime: '15:00' });
    expect(result.ok && result.details).toMatchObject({ startsAt: '2027-06-10T07:00:00.000Z', endsAt: '2027-06-11T13:00:00.000Z' });
  });

  it('marks every problem at once and keeps what was typed', () => {
    const result = validate({
      kind: 'seminar',
      title: '',
      description: 'x'.repeat(2001),
      startDate: '2026-13-01',
      endTime: '25:00',
      place: '',
      meetingUrl: 'teams møte',
      registrationUrl: 'ftp://example.org',
      roles: 'prosjektokonom,astronaut',
      processes: 'XYZ',
      units: 'NOPE',
      channels: '19:gone@thread.tacv2',
      sendMode: 'sometime',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual({
      kind: 'unknown-choice',
      title: 'required',
      description: 'too-long',
      startDate: 'invalid-date',
      endTime: 'invalid-time',
      meetingUrl: 'invalid-url',
      registrationUrl: 'invalid-url',
      roles: 'unknown-choice',
      processes: 'unknown-choice',
      units: 'unknown-choice',
      channels: 'unknown-channel',
      sendMode: 'unknown-choice',
    });
    expect(result.values).toMatchObject({ description: 'x'.repeat(2001), meetingUrl: 'teams møte', roles: 'prosjektokonom,astronaut' });
  });

  it('needs a place or a meeting link, accepting either', () => {
    const neither = validate({ place: '', meetingUrl: '' });
    expect(!neither.ok && neither.problems).toEqual({ place: 'place-or-link', meetingUrl: 'place-or-link' });
    const online = validate({ place: '', meetingUrl: 'https://teams.microsoft.com/l/meetup-join/abc' });
    expect(online.ok && online.details.meetingUrl).toBe('https://teams.microsoft.com/l/meetup-join/abc');
  });

  it('refuses an end before the start and a start in the past', () => {
    const backwards = validate({ startTime: '10:00', endTime: '09:30' });
    expect(!backwards.ok && backwards.problems).toEqual({ endTime: 'end-before-start' });
    const past = validate({ startDate: '2026-11-27', startTime: '09:30', endTime: '11:00' });
    expect(!past.ok && past.problems).toEqual({ startDate: 'in-the-past' });
  });

  it('needs an audience or a channel', () => {
    const nobody = validate({ everyone: 'false', roles: '', processes: '', units: '', channels: '' });
    expect(!nobody.ok && nobody.problems).toEqual({ everyone: 'no-audience', channels: 'no-audience' });
    const channelOnly = validate({ units: '', channels: channel.conversationId });
    expect(channelOnly.ok && channelOnly.distribution?.audience).toEqual({ everyone: false, roles: [], processes: [], units: [] });
    const everyone = validate({ everyone: 'true', units: 'IE', roles: 'innkjoper' });
    expect(everyone.ok && everyone.distribution?.audience).toEqual({ everyone: true, roles: [], processes: [], units: [] });
  });

  it('schedules sending before the event, not in the past, the current minute counting as now', () => {
    const later = validate({ sendMode: 'later', sendDate: '2026-12-01', sendTime: '08:00' });
    expect(later.ok && later.distribution?.sendAt).toBe('2026-12-01T07:00:00.000Z');
    const thisMinute = validate({ sendMode: 'later', sendDate: '2026-11-27', sendTime: '09:59' }, { now: new Date('2026-11-27T08:59:40Z') });
    expect(thisMinute.ok).toBe(true);
    const past = validate({ sendMode: 'later', sendDate: '2026-11-27', sendTime: '09:30' });
    expect(!past.ok && past.problems).toEqual({ sendDate: 'in-the-past' });
    const afterStart = validate({ sendMode: 'later', sendDate: '2026-12-09', sendTime: '10:00' });
    expect(!afterStart.ok && afterStart.problems).toEqual({ sendDate: 'send-after-start' });
    const missing = validate({ sendMode: 'later', sendDate: '', sendTime: '' });
    expect(!missing.ok && missing.problems).toEqual({ sendDate: 'required', sendTime: 'required' });
  });

  it('leaves recipients and send time alone once sending has begun', () => {
    const result = validate({ everyone: 'false', units: '', channels: '', sendMode: 'later', sendDate: '' }, { withDistribution: false });
    expect(result.ok && result.distribution).toBeNull();
  });

  describe('the summer-time boundaries', () => {
    it('refuses 02:30 on the night summer time starts: that time does not exist in Norway', () => {
      expect(osloInstant('2026-03-29', '02:30')).toEqual({ kind: 'nonexistent' });
      expect(osloInstant('2026-03-29', '01:59')).toEqual({ kind: 'ok', instant: new Date('2026-03-29T00:59:00Z') });
      expect(osloInstant('2026-03-29', '03:00')).toEqual({ kind: 'ok', instant: new Date('2026-03-29T01:00:00Z') });
      const form = validate({ startDate: '2026-03-29', startTime: '02:30', endTime: '04:00' });
      expect(!form.ok && form.problems).toEqual({ startTime: 'nonexistent-time' });
    });

    it('reads 02:30 on the night summer time ends, which happens twice, as the first time (still summer time)', () => {
      expect(osloInstant('2026-10-25', '02:30')).toEqual({ kind: 'ok', instant: new Date('2026-10-25T00:30:00Z') });
      expect(osloInstant('2026-10-25', '03:00')).toEqual({ kind: 'ok', instant: new Date('2026-10-25T02:00:00Z') });
      // An event from 02:30 to 02:45 that night is a quarter of an hour, not an hour and a quarter.
      const form = validateAnnouncement(announcementForm({ startDate: '2026-10-25', startTime: '02:30', endTime: '02:45' }), context({ now: new Date('2026-10-01T00:00:00Z') }));
      expect(form.ok && form.details).toMatchObject({ startsAt: '2026-10-25T00:30:00.000Z', endsAt: '2026-10-25T00:45:00.000Z' });
    });

    it('tells an impossible date and time from a missing one', () => {
      expect(osloInstant('2026-02-30', '10:00')).toEqual({ kind: 'invalid-date' });
      expect(osloInstant('2026-02-28', '24:00')).toEqual({ kind: 'invalid-time' });
      expect(osloInstant('2026-02-28', '9:05')).toEqual({ kind: 'ok', instant: new Date('2026-02-28T08:05:00Z') });
    });
  });

  it('shows a stored announcement on the form again in Norwegian time', () => {
    const result = validate({ units: 'IE', channels: channel.conversationId, sendMode: 'later', sendDate: '2026-12-01', sendTime: '08:00' });
    if (!result.ok || !result.distribution) throw new Error('expected a valid form');
    const stored = { id: 'KU-2026-0001', ...result.details, ...result.distribution } as Announcement;
    expect(announcementFormValues(stored)).toMatchObject({
      startDate: '2026-12-09',
      startTime: '10:00',
      endDate: '2026-12-09',
      endTime: '11:30',
      units: 'IE',
      channels: channel.conversationId,
      sendMode: 'later',
      sendDate: '2026-12-01',
      sendTime: '08:00',
      everyone: 'false',
    });
  });
});

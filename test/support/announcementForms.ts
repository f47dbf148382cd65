import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';

/**
 * The values of a valid announcement form as the card submits them: a fagkafé
 * on Wednesday 9 December 2026, 10:00–11:30 Norwegian time, for IE. The title
 * is unique so a test finds its own announcement's cards.
 */
export function announcementForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'fagkafe',
    title: `Fagkafé om innkjøp ${randomUUID().slice(0, 8)}`,
    description: 'Still spørsmål om bestilling og varemottak i Unit4.',
    startDate: '2026-12-09',
    startTime: '10:00',
    endDate: '',
    endTime: '11:30',
    place: 'Rom R9, Realfagbygget',
    meetingUrl: '',
    registrationUrl: '',
    everyone: 'false',
    roles: '',
    processes: '',
    units: 'IE',
    channels: '',
    sendMode: 'now',
    sendDate: '',
    sendTime: '',
    ...overrides,
  };
}

/** A Norwegian calendar date (yyyy-MM-dd) some days from now. */
export function osloDateInDays(days: number): string {
  return DateTime.now().setZone('Europe/Oslo').plus({ days }).toISODate() ?? '';
}

/** The announcement id (KU-yyyy-nnnn) a card or message names. */
export function announcementIdIn(text: string): string {
  const match = /KU-\d{4}-\d{4}/.exec(text);
  if (!match) throw new Error(`no announcement id in ${text.slice(0, 300)}`);
  return match[0];
}

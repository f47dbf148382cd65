import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { SAMPLE_AUTHOR, ensureSampleEvents } from '../../src/announcements/sampleEvents';
import { upcomingEvents } from '../../src/announcements/upcoming';
import { loadConfig } from '../../src/config';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const openStore = () => TableAnnouncementStore.open(testConnectionString(), `${uniqueTablePrefix('samples')}announcements`);
const noFilter = { kinds: [], processes: [], roles: [] };

describe('sample events (local mode)', () => {
  it('adds a course, a fagkafé and a Q&A session ahead of today, announced, once per set', async () => {
    const store = await openStore();
    const now = new Date('2026-12-03T10:00:00Z');
    expect(await ensureSampleEvents(store, now)).toBe(3);
    const events = upcomingEvents(await store.list(), noFilter, now);
    expect(events.map((event) => event.kind)).toEqual(['kurs', 'fagkafe', 'sporretime']);
    for (const event of events) {
      expect(event.title).toMatch(/^Eksempel: /);
      expect(event.createdBy).toEqual(SAMPLE_AUTHOR);
      expect(Date.parse(event.startsAt)).toBeGreaterThan(now.getTime());
    }
    // The course at 09:00 Oslo time a week later (UTC+1 in December).
    expect(events[0]?.startsAt).toBe('2026-12-10T08:00:00.000Z');
    // A restart, the same day or later while they are still ahead, adds none.
    expect(await ensureSampleEvents(store, new Date('2026-12-03T18:00:00Z'))).toBe(0);
    expect(await ensureSampleEvents(store, new Date('2026-12-08T10:00:00Z'))).toBe(0);
    // Once the last of them has ended, a fresh set ahead of that day.
    const later = new Date('2027-01-05T10:00:00Z');
    expect(await ensureSampleEvents(store, later)).toBe(3);
    expect(upcomingEvents(await store.list(), noFilter, later)).toHaveLength(3);
  });

  it('is on only when asked for and never with a bot identity (Azure)', () => {
    expect(loadConfig({}).sampleEvents).toBe(false);
    expect(loadConfig({ SAMPLE_EVENTS: 'on' }).sampleEvents).toBe(true);
    expect(loadConfig({ SAMPLE_EVENTS: 'on', BOT_ID: '00000000-0000-0000-0000-000000000001', BOT_PASSWORD: 'x', BOT_TENANT_ID: 't' }).sampleEvents).toBe(false);
  });

  describe('in the app', () => {
    let bot: BotUnderTest;
    beforeAll(async () => {
      bot = await startBotUnderTest({ SAMPLE_EVENTS: 'on' });
    });
    afterAll(async () => bot.stop());

    it('answers "which courses are coming?" with them', async () => {
      const answer = JSON.stringify(await bot.ask('hvilke kurs kommer?'));
      expect(answer).toContain('Eksempel: Kurs i Behov til betaling for innkjøpere');
      const all = JSON.stringify(await bot.ask('hva skjer fremover av kurs og fagkafeer?'));
      expect(all).toContain('Eksempel: Fagkafé om prosjektøkonomi');
    });
  });
});

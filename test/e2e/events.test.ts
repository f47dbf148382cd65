import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser } from '../support/teamsUsers';
import { changeEvent, storeEvent } from '../events/fixtures';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('subscriptions, upcoming events, reminders, calendar files and recordings end to end', () => {
  let bot: BotUnderTest;
  let announcements: TableAnnouncementStore;
  let kari: NamedUser;
  let coordinator: NamedUser;
  let outsider: NamedUser;

  /** What the bot answered a chat message with, as JSON text. */
  const say = async (user: NamedUser, text: string): Promise<string> => {
    const before = bot.connector.messagesIn(user.conversationId).length;
    const response = await bot.post(personalMessage(bot, user, text));
    expect(response.status).toBeLessThan(300);
    return JSON.stringify(bot.connector.messagesIn(user.conversationId).slice(before));
  };
  const reminders = (user: NamedUser, title: string) =>
    bot.connector.messagesIn(user.conversationId).filter((message) => typeof message.text === 'string' && message.text.startsWith('Påminnelse:') && message.text.includes(title));

  beforeAll(async () => {
    const prefix = uniqueTablePrefix('ev');
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', TABLE_PREFIX: prefix });
    announcements = await TableAnnouncementStore.open(testConnectionString(), `${prefix}announcements`);
    kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example', 'en-GB');
    for (const user of [kari, coordinator, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
  });
  afterAll(async () => bot.stop());

  it('takes roles and subscriptions in chat, in bokmål, nynorsk and English, before the directory assistant', async () => {
    const stated = await say(kari, 'jeg er prosjektøkonom');
    expect(stated).toContain('Notert: du er prosjektøkonom.');
    // Not read as a question about Prosjektøkonomi.
    expect(stated).not.toContain('@ntnu.example');
    expect(await say(kari, 'eg er innkjøpar')).toContain('Notert: du er innkjøpar.');
    expect(await say(outsider, 'I am a project accountant')).toContain('Noted: you are a project accountant.');
    expect(await say(kari, 'jeg er prosjektøkonom')).toContain('Det visste jeg');

    expect(await say(kari, 'abonner på fagkaféer for Btb')).toContain('Du abonnerer nå på fagkaféer om Behov til betaling.');
    expect(await say(kari, 'abonner på fagkafeer for btb')).toContain('Du abonnerer allerede på fagkaféer om Behov til betaling.');
    const settings = await say(kari, 'mine abonnementer');
    expect(settings).toContain('Abonnementer på kurs og fagkaféer');
    expect(settings).toContain('"id":"roles"');
    expect(settings).toMatch(/"id":"roles"[^}]*"value":"prosjektokonom,innkjoper"/);
    expect(settings).toContain('Fagkaféer om Behov til betaling');
    expect(settings).toContain('"verb":"saveEventSettings"');

    expect(await say(kari, 'avslutt abonnement på kurs')).toContain('Du abonnerer ikke på kurs og oppfriskningskurs');
    expect(await say(kari, 'avslutt abonnementet på fagkaféer')).toContain('Avsluttet: fagkaféer om Behov til betaling.');
    expect(await say(kari, 'jeg er ikke lenger innkjøper')).toContain('Notert: du er ikke lenger registrert som innkjøper.');

    // A directory question still reaches the directory assistant.
    expect(await say(kari, 'hvem er prosessrådgiver for Btb ved IDI?')).toContain('@ntnu.example');
  });

  it('saves the settings card: roles ticked, topics kept and added', async () => {
    const saved = invokeCard(
      await bot.post(
        cardAction(bot, kari, 'saveEventSettings', { lang: 'nb', roles: 'prosjektokonom,kostnadsgodkjenner', topics: '', addKinds: 'sporretime', addProcesses: 'PROSJ,NOPE' }),
      ),
    );
    expect(saved).toContain('Lagret.');
    expect(saved).toMatch(/"id":"roles"[^}]*"value":"prosjektokonom,kostnadsgodkjenner"/);
    expect(saved).toContain('Spørretimer om Prosjektøkonomi');
    expect(invokeCard(await bot.post(cardAction(bot, kari, 'saveEventSettings', { lang: 'nb', roles: 17 })))).toContain('Noe var galt med kortet');

    expect(await say(kari, 'avslutt abonnement')).toContain('Alle abonnementene dine er avsluttet');
    expect(await say(kari, 'avslutt abonnement')).toContain('Du hadde ingen abonnementer å avslutte.');
  });

  it('answers questions about upcoming events with a card to be reminded and to save each in a calendar', async () => {
    const course = await storeEvent(announcements, {
      kind: 'kurs',
      title: 'Kurs i budsjettering av prosjekter',
      startsAt: inDays(10),
      audience: { roles: ['prosjektokonom'], processes: ['PROSJ'] },
    });
    const nearCafe = await storeEvent(announcements, { kind: 'fagkafe', title: 'Fagkafé om varemottak', startsAt: inDays(5), audience: { processes: ['BTB'] } });
    const laterCafe = await storeEvent(announcements, { kind: 'fagkafe', title: 'Fagkafé om bestillinger', startsAt: inDays(20), audience: { processes: ['BTB'] } });
    const qa = await storeEvent(announcements, { kind: 'sporretime', title: 'Spørretime om EU-søknader', startsAt: inDays(3), audience: { processes: ['PROSJ'] } });
    const cancelled = await storeEvent(announcements, { kind: 'kurs', title: 'Avlyst kurs', startsAt: inDays(4), state: 'cancelled' });

    const courses = await say(kari, 'hvilke kurs kommer?');
    expect(courses).toContain('Kommende kurs');
    expect(courses).toContain(course.title);
    expect(courses).not.toContain(cancelled.title);
    expect(courses).not.toContain(nearCafe.title);
    expect(courses).toContain(`"verb":"remindMe","data":{"id":"${course.id}"`);
    expect(courses).toContain(`${bot.app.url}/calendar/${course.id}.ics`);
    expect(courses).toContain('Bli med i møtet');

    const next = await say(kari, 'neste fagkafé for Btb');
    expect(next).toContain('Neste fagkafé om Behov til betaling');
    expect(next).toContain(nearCafe.title);
    expect(next).not.toContain(laterCafe.title);

    expect(await say(kari, 'kurs for prosjektøkonomer')).toContain(course.title);
    const english = await say(outsider, 'when is the next Q&A session?');
    expect(english).toContain('Next Q&A session');
    expect(english).toContain(qa.title);
    expect(english).toContain('Remind me');
    expect(await say(kari, 'neste samarbeidsmøte')).toContain('Ingen kommende arrangementer passer');
  });

  it('reminds a user an hour before, in their personal chat, at that time and not before', async () => {
    // Starts in an hour and a few seconds: "en time før" is due in a few seconds.
    const startsAt = new Date(Date.now() + HOUR + 4000).toISOString();
    const event = await storeEvent(announcements, { kind: 'kurs', title: 'Kurs i fakturering', startsAt });
    const before = bot.connector.messagesIn(kari.conversationId).length;
    const asked = invokeCard(await bot.post(cardAction(bot, kari, 'remindMe', { id: event.id })));
    expect(asked).toContain('Når vil du bli minnet på «Kurs i fakturering»?');
    const choice = JSON.stringify(bot.connector.messagesIn(kari.conversationId).slice(before));
    expect(choice).toContain('"verb":"scheduleReminder"');
    expect(choice).toContain('En time før');

    const scheduled = invokeCard(await bot.post(cardAction(bot, kari, 'scheduleReminder', { id: event.id, choice: 'hour-before', lang: 'nb' })));
    expect(scheduled).toContain('Jeg minner deg på «Kurs i fakturering»');
    // Asking twice schedules one reminder.
    await bot.post(cardAction(bot, kari, 'scheduleReminder', { id: event.id, choice: 'hour-before', lang: 'nb' }));
    const due = Date.parse(startsAt) - HOUR;
    expect(reminders(kari, 'Kurs i fakturering')).toHaveLength(0);

    await waitFor(() => reminders(kari, 'Kurs i fakturering').length > 0, 20_000, 'the reminder');
    expect(Date.now()).toBeGreaterThanOrEqual(due);
    const [reminder] = reminders(kari, 'Kurs i fakturering');
    expect(reminder?.text).toContain('Påminnelse: «Kurs i fakturering» begynner om en time');
    expect(JSON.stringify(reminder)).toContain(`/calendar/${event.id}.ics`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reminders(kari, 'Kurs i fakturering')).toHaveLength(1);
  });

  it('sends the choice to the personal chat when "Minn meg på" is pressed in a channel, and refuses what cannot be reminded of', async () => {
    const channel = testChannel('Økonomi generelt');
    await bot.post(channelMessage(bot, coordinator, channel, 'hei'));
    const event = await storeEvent(announcements, { kind: 'fagkafe', title: 'Fagkafé om reiseregninger', startsAt: inDays(2) });
    const before = bot.connector.messagesIn(coordinator.conversationId).length;
    const answer = invokeCard(await bot.post(cardAction(bot, coordinator, 'remindMe', { id: event.id }, { id: channel.id, conversationType: 'channel' })));
    expect(answer).toContain('Jeg har sendt deg et valg i chatten med meg.');
    await waitFor(() => JSON.stringify(bot.connector.messagesIn(coordinator.conversationId).slice(before)).includes('"verb":"scheduleReminder"'), 10_000, 'the choice');
    expect(JSON.stringify(bot.connector.messagesIn(channel.id))).not.toContain('scheduleReminder');

    const stranger = namedUser(bot, 'Ny Bruker', 'ny.bruker@ntnu.example');
    const noChat = invokeCard(await bot.post(cardAction(bot, stranger, 'remindMe', { id: event.id }, { id: channel.id, conversationType: 'channel' })));
    expect(noChat).toContain('Åpne en chat med Økonomi og lønn først');

    expect(invokeCard(await bot.post(cardAction(bot, kari, 'remindMe', { id: 'KU-2026-9999' })))).toContain('Fant ikke arrangementet');
    const cancelled = await storeEvent(announcements, { title: 'Kurs som ble avlyst', startsAt: inDays(2), state: 'cancelled' });
    expect(invokeCard(await bot.post(cardAction(bot, kari, 'remindMe', { id: cancelled.id })))).toContain('«Kurs som ble avlyst» er avlyst');
    expect(invokeCard(await bot.post(cardAction(bot, kari, 'remindMe', { id: 'AR-2023-0001' })))).toContain('har allerede begynt eller er over');
    expect(invokeCard(await bot.post(cardAction(bot, kari, 'scheduleReminder', { id: event.id, choice: 'next-week' })))).toContain('Noe var galt med kortet');
    expect(invokeCard(await bot.post(cardAction(bot, kari, 'scheduleReminder', { id: cancelled.id, choice: 'day-before', lang: 'nb' })))).toContain('er avlyst');
  });

  it('sends nothing for a cancelled event, and reminds of a moved one at its new time', async () => {
    const soon = () => new Date(Date.now() + HOUR + 3000).toISOString();
    const toCancel = await storeEvent(announcements, { title: 'Kurs som avlyses', startsAt: soon() });
    const toMove = await storeEvent(announcements, { title: 'Kurs som flyttes', startsAt: soon() });
    for (const event of [toCancel, toMove]) {
      await bot.post(cardAction(bot, kari, 'scheduleReminder', { id: event.id, choice: 'hour-before', lang: 'nb' }));
    }
    await changeEvent(announcements, toCancel.id, { state: 'cancelled' });
    // Moved six seconds later: the reminder set for the old time finds the new one and waits for it.
    const movedStart = new Date(Date.parse(toMove.startsAt) + 6000).toISOString();
    await changeEvent(announcements, toMove.id, { startsAt: movedStart, endsAt: new Date(Date.parse(movedStart) + HOUR).toISOString() });

    await waitFor(() => reminders(kari, 'Kurs som flyttes').length > 0, 25_000, 'the moved reminder');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(movedStart) - HOUR);
    expect(reminders(kari, 'Kurs som flyttes')).toHaveLength(1);
    expect(reminders(kari, 'Kurs som avlyses')).toHaveLength(0);
  });

  it('serves the .ics file of an event, right across the summer-time changes, and a clear 404 for an unknown id', async () => {
    const spring = await storeEvent(announcements, { title: 'Kurs på sommertidsdagen', startsAt: '2026-03-29T08:00:00.000Z' });
    const autumn = await storeEvent(announcements, { title: 'Kurs på vintertidsdagen', startsAt: '2026-10-25T09:00:00.000Z' });
    const fetchIcs = (id: string) => fetch(`${bot.app.url}/calendar/${id}.ics`);

    const springFile = await fetchIcs(spring.id);
    expect(springFile.status).toBe(200);
    expect(springFile.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(springFile.headers.get('content-disposition')).toBe(`attachment; filename="${spring.id}.ics"`);
    const springText = await springFile.text();
    expect(springText).toMatch(/^BEGIN:VCALENDAR\r\n/);
    // 10:00 in Oslo on the day summer time starts is 08:00 UTC; on the day it ends, 09:00 UTC.
    expect(springText).toContain('DTSTART:20260329T080000Z');
    expect(springText).toContain('SUMMARY:Kurs på sommertidsdagen');
    expect(await (await fetchIcs(autumn.id)).text()).toContain('DTSTART:20261025T090000Z');
    expect(await (await fetchIcs('ar-2023-0001')).text()).toContain('DTSTART;VALUE=DATE:20230905');

    const missing = await fetchIcs('KU-2026-9999');
    expect(missing.status).toBe(404);
    const message = await missing.text();
    expect(message).toContain('Fant ikke arrangementet KU-2026-9999.');
    expect(message).toContain('Event KU-2026-9999 not found.');
    expect((await fetch(`${bot.app.url}/calendar/..%2F..%2Fetc.ics`)).status).toBe(404);
    const draft = await storeEvent(announcements, { startsAt: inDays(3), state: 'draft' });
    expect((await fetchIcs(draft.id)).status).toBe(404);
  });

  it('lets the coordinator add recordings and slides, and anyone find them', async () => {
    expect(await say(outsider, 'add recording AR-2024-0001 https://ntnu.example/opptak/eu')).toContain('Only the management coordinator');
    expect(await say(coordinator, 'legg til opptak AR-2024-0001 https://ntnu.example/opptak/eu-soknader')).toContain(
      'Opptak er lagt til «Registrering av EU-søknader, demonstrasjon i Unit4» (AR-2024-0001).',
    );
    expect(await say(coordinator, 'legg til opptak AR-2024-0001 https://ntnu.example/opptak/eu-soknader')).toContain('allerede lagt til');
    expect(await say(coordinator, 'legg til lysbilder AR-2024-0001 https://ntnu.example/lysbilder/eu.pdf Lysark fra demonstrasjonen')).toContain('Lysbilder er lagt til');
    expect(await say(coordinator, 'legg til opptak AR-2031-0001 https://ntnu.example/x')).toContain('Fant ikke arrangementet AR-2031-0001.');
    expect(await say(coordinator, 'legg til opptak')).toContain('Skriv hvilket arrangement og hvilken lenke');
    expect(await say(coordinator, 'legg til opptak AR-2024-0001 http://')).toContain('Skriv hvilket arrangement og hvilken lenke');
    expect(await say(coordinator, 'legg til opptak AR-2024-0001 https://%%%')).toContain('Lenken må være en nettadresse');

    const held = await storeEvent(announcements, {
      kind: 'fagkafe',
      title: 'Fagkafé om innkjøpsavtaler',
      startsAt: new Date(Date.now() - 2 * DAY).toISOString(),
      audience: { processes: ['ANSK'] },
    });
    expect(await say(coordinator, `legg til opptak ${held.id} https://ntnu.example/opptak/avtaler`)).toContain(`«Fagkafé om innkjøpsavtaler» (${held.id})`);

    const found = await say(kari, 'opptak fra fagkaféen om EU-søknader');
    expect(found).toContain('Opptak og lysbilder fra tidligere arrangementer');
    expect(found).toContain('Registrering av EU-søknader, demonstrasjon i Unit4');
    expect(found).toContain('https://ntnu.example/opptak/eu-soknader');
    expect(found).toContain('Lysark fra demonstrasjonen');
    expect(await say(kari, 'opptak fra fagkaféen om innkjøpsavtaler')).toContain('https://ntnu.example/opptak/avtaler');
  });
});

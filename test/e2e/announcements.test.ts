import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announcementForm, announcementIdIn, osloDateInDays } from '../support/announcementForms';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser, type TestChannel } from '../support/teamsUsers';

const BASE_URL = 'https://bot.ntnu.example';

describe('announcements end to end', () => {
  let bot: BotUnderTest;
  let coordinator: NamedUser;
  let kari: NamedUser;
  let per: NamedUser;
  let siri: NamedUser;
  let blocked: NamedUser;
  let outsider: NamedUser;
  let channel: TestChannel;
  /** A date twelve days ahead, so the event is never in the past. */
  let eventDate: string;

  const messagesAbout = (conversationId: string, text: string) => bot.connector.messagesIn(conversationId).filter((m) => JSON.stringify(m).includes(text));
  const inPersonalChat = (user: NamedUser) => ({ id: user.conversationId, conversationType: 'personal' });

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', COORDINATORS: 'ida.koordinator@ntnu.example', PUBLIC_BASE_URL: BASE_URL });
    coordinator = namedUser(bot, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
    kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    per = namedUser(bot, 'Per Instituttleder', 'per.leder@ntnu.example');
    siri = namedUser(bot, 'Siri Humanist', 'siri.humanist@ntnu.example');
    blocked = namedUser(bot, 'Bjørn Blokkert', 'bjorn.blokkert@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    // People the bot can write to, with the units they told it.
    for (const user of [coordinator, kari, per, siri, blocked, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
    await bot.post(personalMessage(bot, kari, 'jeg jobber på IDI'));
    await bot.post(personalMessage(bot, per, 'jeg jobber på IE'));
    await bot.post(personalMessage(bot, blocked, 'jeg jobber på IE'));
    await bot.post(personalMessage(bot, siri, 'jeg jobber på HF'));
    channel = testChannel('Kurs og fagkafé');
    await bot.post(channelMessage(bot, coordinator, channel, 'hei'));
    eventDate = osloDateInDays(12);
  });
  afterAll(async () => bot.stop());

  /** Previews a form and confirms it from the coordinator's chat; returns the id and the status card, which sits where the preview was. */
  async function compose(overrides: Record<string, unknown>, statusCardId: string) {
    const form = announcementForm({ startDate: eventDate, formId: `form-${statusCardId}`, lang: 'nb', ...overrides });
    const preview = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', form)));
    const id = announcementIdIn(preview);
    const confirm = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'sendAnnouncement');
    if (!confirm) throw new Error(`no send button on ${preview.slice(0, 300)}`);
    const status = invokeCard(await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', confirm.data, inPersonalChat(coordinator), statusCardId)));
    return { id, preview, status, title: String(form.title) };
  }

  /** The latest version of the coordinator's status card, as updated in place. */
  const statusCardUpdates = (statusCardId: string) =>
    bot.connector
      .updatesIn(coordinator.conversationId)
      .filter((update) => update.replyToId === statusCardId)
      .map((update) => JSON.stringify(update.activity));

  it('refuses composing to anyone but a coordinator, in chat and on the card', async () => {
    const refusal = JSON.stringify(await bot.ask('ny kunngjøring', outsider));
    expect(refusal).toContain('Bare forvaltningskoordinator og de som er satt opp som koordinatorer');
    expect(refusal).not.toContain('previewAnnouncement');
    const onCard = invokeCard(await bot.post(cardAction(bot, outsider, 'previewAnnouncement', announcementForm({ startDate: eventDate, formId: 'outsider-form' }))));
    expect(onCard).toContain('Bare forvaltningskoordinator');
    expect(invokeCard(await bot.post(cardAction(bot, outsider, 'cancelAnnouncement', { id: 'KU-2026-0001', lang: 'nb' })))).toContain('Bare forvaltningskoordinator');
  });

  it('opens the form for a coordinator, with the channels where the bot is installed', async () => {
    const form = JSON.stringify(await bot.ask('ny kunngjøring', coordinator));
    expect(form).toContain('Ny kunngjøring');
    expect(form).toContain('"type":"Input.Date","id":"startDate"');
    expect(form).toContain('"type":"Input.Time","id":"startTime"');
    expect(form).toContain(`{"title":"Økonomi › Kurs og fagkafé","value":"${channel.id}"}`);
    expect(form).toContain('{"title":"Fakturaansvarlig","value":"fakturaansvarlig"}');
    expect(form).toContain('"verb":"previewAnnouncement"');
  });

  it('gives the form back with the problems marked and the input kept, also a time that summer time skips', async () => {
    const card = invokeCard(
      await bot.post(
        cardAction(
          bot,
          coordinator,
          'previewAnnouncement',
          announcementForm({ title: '', startDate: '2027-03-28', startTime: '02:30', endTime: '04:00', place: '', meetingUrl: 'teams møte', formId: 'bad-form', lang: 'nb' }),
        ),
      ),
    );
    expect(card).toContain('Noe mangler eller må rettes');
    expect(card).toContain('Klokkeslettet finnes ikke denne dagen');
    expect(card).toContain('Skriv en fullstendig nettadresse som begynner med https://');
    expect(card).toContain('Må fylles ut.');
    expect(card).toContain('"value":"teams møte"');
    expect(card).toContain('"value":"2027-03-28"');
    expect(JSON.stringify(await bot.ask('KU-2026-0001', coordinator))).toContain('Fant ikke kunngjøringen KU-2026-0001');
  });

  it('previews with the audience count and channels, goes back to the form with the values kept, sends on confirmation and reports the delivery', async () => {
    const form = announcementForm({
      startDate: eventDate,
      units: 'IE',
      channels: channel.id,
      registrationUrl: 'https://innsida.ntnu.no/kurs/123',
      formId: 'main-form',
      lang: 'nb',
    });
    const preview = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', form)));
    const id = announcementIdIn(preview);
    expect(preview).toContain(`Forhåndsvisning av ${id}`);
    expect(preview).toContain('{"title":"Personlig chat","value":"3 personer"}');
    expect(preview).toContain('{"title":"Kanaler","value":"Økonomi › Kurs og fagkafé"}');
    expect(preview).toContain('Fakultet for informasjonsteknologi og elektroteknikk (IE)');
    // The card exactly as recipients will see it.
    expect(preview).toContain('"verb":"remindMe","data":{"id":"' + id + '"}');
    expect(preview).toContain(`"url":"${BASE_URL}/calendar/${id}.ics"`);
    expect(preview).toContain('kl. 10.00–11.30');
    expect(bot.connector.messagesIn(kari.conversationId).filter((m) => JSON.stringify(m).includes(id))).toHaveLength(0);

    const edit = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'editAnnouncement');
    const back = invokeCard(await bot.post(cardAction(bot, coordinator, 'editAnnouncement', edit?.data ?? {})));
    expect(back).toContain(`Endre ${id}`);
    expect(back).toContain(`"value":"${String(form.title)}"`);
    expect(back).toContain('"value":"https://innsida.ntnu.no/kurs/123"');

    const confirm = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'sendAnnouncement');
    // One recipient has blocked the bot: Teams answers 403.
    bot.connector.failures.set(blocked.conversationId, { status: 403, remaining: 100 });
    const status = invokeCard(await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', confirm?.data ?? {}, inPersonalChat(coordinator), 'status-main')));
    expect(status).toContain(`${id} · Sendes`);
    expect(status).toContain('Sendingen er i gang');

    for (const user of [kari, per]) await waitFor(() => messagesAbout(user.conversationId, String(form.title))[0], 30_000, `the announcement for ${user.name}`);
    const inChannel = JSON.stringify(await waitFor(() => messagesAbout(channel.id, String(form.title))[0], 30_000, 'the announcement in the channel'));
    expect(inChannel).toContain('Fagkafé');
    expect(inChannel).toContain('"title":"Meld deg på","url":"https://innsida.ntnu.no/kurs/123"');
    expect(inChannel).toContain('Minn meg på');
    expect(inChannel).toContain('Legg i kalender');

    const final = await waitFor(() => statusCardUpdates('status-main').find((card) => card.includes('Ferdig')), 30_000, 'the final report on the coordinator’s card');
    expect(final).toContain(`${id} · Sendt`);
    expect(final).toContain('Ferdig: levert til 3 av 4 mottakere; 1 kunne ikke nås');

    // Who did not get it, from the status card's button: a list of its own, with the whole list as CSV behind a signed link.
    expect(final).toContain('"verb":"announcementUndelivered"');
    expect(final).toContain('Vis hvem som ikke fikk den (1)');
    const before = bot.connector.messagesIn(coordinator.conversationId).length;
    const stillStatus = invokeCard(await bot.post(cardAction(bot, coordinator, 'announcementUndelivered', { id, lang: 'nb' }, inPersonalChat(coordinator), 'status-main')));
    expect(stillStatus).toContain(`${id} · Sendt`);
    const list = JSON.stringify(bot.connector.messagesIn(coordinator.conversationId).slice(before));
    expect(list).toContain(`Ikke levert: ${id}`);
    expect(list).toContain('bjorn.blokkert@ntnu.example');
    expect(list).toContain('Boten er blokkert eller fjernet der.');
    expect(list).not.toContain('kari.ansatt@ntnu.example');
    const csvUrl = /"url":"(https:\/\/bot\.ntnu\.example\/exports\/[^"]+\.csv)"/.exec(list)?.[1] ?? '';
    const csv = await fetch(csvUrl.replace(BASE_URL, bot.app.url));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`ikke-levert-${id}.csv`);
    const csvBytes = Buffer.from(await csv.arrayBuffer());
    // With a byte order mark, so Excel reads it as UTF-8.
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csvBytes.subarray(3).toString('utf8');
    expect(csvText.split('\r\n')[0]).toBe('Mottaker;Samtale;Tilstand;HTTP-status;Årsak;Forsøk;Siste forsøk (UTC)');
    expect(csvText).toContain(`bjorn.blokkert@ntnu.example;${blocked.conversationId};unreachable;403;`);
    // The same link as a workbook does not exist, and nobody else may list them.
    expect((await fetch(csvUrl.replace(BASE_URL, bot.app.url).replace(/\.csv$/, '.xlsx'))).status).toBe(404);
    expect(JSON.stringify(await bot.ask(`ikke levert ${id}`, outsider))).toContain('Bare forvaltningskoordinator');
    expect(JSON.stringify(await bot.ask(`who did not get ${id}?`, coordinator))).toContain('bjorn.blokkert@ntnu.example');
    // HF is not in the audience, and the blocked chat got nothing.
    expect(messagesAbout(siri.conversationId, String(form.title))).toHaveLength(0);
    expect(messagesAbout(blocked.conversationId, String(form.title))).toHaveLength(0);
    bot.connector.failures.delete(blocked.conversationId);

    // Changing the place after sending: the same form, prefilled, without the recipients.
    const amendForm = JSON.stringify(await bot.ask(`endre kunngjøring ${id}`, coordinator));
    expect(amendForm).toContain(`Endre ${id}`);
    expect(amendForm).toContain('"value":"Rom R9, Realfagbygget"');
    expect(amendForm).not.toContain('Målgruppe');
    const amendPreview = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', { ...form, place: 'Rom R10, Realfagbygget', id, formId: 'amend-form' })));
    expect(amendPreview).toContain('Bekreft endringen');
    expect(amendPreview).toContain('Kortet oppdateres hos 3 personer som allerede har fått kunngjøringen');
    const amendConfirm = (JSON.parse(amendPreview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((a) => a.verb === 'sendAnnouncement');
    const amended = invokeCard(await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', amendConfirm?.data ?? {}, inPersonalChat(coordinator), 'status-amended')));
    expect(amended).toContain('Endringen er lagret');

    // Every delivered card is updated in place (PUT to its activity id), and says it changed.
    for (const conversationId of [kari.conversationId, per.conversationId, channel.id]) {
      const update = await waitFor(
        () => bot.connector.updatesIn(conversationId).find((entry) => JSON.stringify(entry.activity).includes('Rom R10, Realfagbygget')),
        30_000,
        `the updated card in ${conversationId}`,
      );
      expect(update.replyToId).toMatch(/^sent-\d+$/);
      expect(JSON.stringify(update.activity)).toContain('"text":"Endret"');
    }
    expect(bot.connector.updatesIn(blocked.conversationId)).toHaveLength(0);
    await waitFor(() => statusCardUpdates('status-amended').find((card) => card.includes('Alle leverte kort er oppdatert (3)')), 30_000, 'the update report');

    // Cancelling, with a confirmation first.
    const question = invokeCard(await bot.post(cardAction(bot, coordinator, 'askCancelAnnouncement', { id, lang: 'nb' }, inPersonalChat(coordinator), 'status-amended')));
    expect(question).toContain(`Avlyse ${id}`);
    expect(question).toContain('"verb":"cancelAnnouncement"');
    expect(bot.connector.updatesIn(kari.conversationId).some((entry) => JSON.stringify(entry.activity).includes('AVLYST'))).toBe(false);
    const cancelled = invokeCard(await bot.post(cardAction(bot, coordinator, 'cancelAnnouncement', { id, lang: 'nb' }, inPersonalChat(coordinator), 'status-amended')));
    expect(cancelled).toContain(`${id} · Avlyst`);
    for (const conversationId of [kari.conversationId, per.conversationId, channel.id]) {
      const update = await waitFor(
        () => bot.connector.updatesIn(conversationId).find((entry) => JSON.stringify(entry.activity).includes('AVLYST')),
        30_000,
        `the cancelled card in ${conversationId}`,
      );
      expect(JSON.stringify(update.activity)).not.toContain('remindMe');
    }
    expect(JSON.stringify(await bot.ask(`endre kunngjøring ${id}`, coordinator))).toContain(`${id} er avlyst og kan ikke endres`);
  });

  it('sends a scheduled announcement when its time comes, not before', async () => {
    const sendAt = DateTime.now().setZone('Europe/Oslo').plus({ minutes: 3 });
    const { id, preview, status, title } = await compose({ units: 'HF', sendMode: 'later', sendDate: sendAt.toISODate(), sendTime: sendAt.toFormat('HH:mm') }, 'status-scheduled');
    expect(preview).toContain('Planlegg sendingen');
    expect(status).toContain(`${id} · Planlagt`);
    expect(status).toContain(`Sendingen er planlagt ${sendAt.setLocale('nb').toFormat('cccc d. MMMM')} kl. ${sendAt.toFormat('HH.mm')}`);

    // "Endre" on the status card opens the whole form again while it waits, the send time filled in.
    const edit = invokeCard(await bot.post(cardAction(bot, coordinator, 'editAnnouncement', { id, lang: 'nb' }, inPersonalChat(coordinator), 'status-scheduled')));
    expect(edit).toContain(`Endre ${id}`);
    expect(edit).toContain('Målgruppe');
    expect(edit).toContain(`"id":"sendTime","label":"Sendes kl.","value":"${sendAt.toFormat('HH:mm')}"`);

    // A scheduler pass now finds nothing due.
    expect(await bot.app.announcementScheduler.runOnce(new Date())).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(messagesAbout(siri.conversationId, title)).toHaveLength(0);

    // Ten minutes on, as the scheduler would see it; two instances' passes send it once.
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await bot.app.announcementScheduler.runOnce(later)).toBe(1);
    await bot.app.announcementScheduler.runOnce(later);
    await waitFor(() => messagesAbout(siri.conversationId, title)[0], 30_000, 'the scheduled announcement');
    const final = await waitFor(() => statusCardUpdates('status-scheduled').find((card) => card.includes('Ferdig')), 30_000, 'the final report');
    expect(final).toContain('Ferdig: levert til 1 av 1 mottakere.');
    expect(messagesAbout(siri.conversationId, title)).toHaveLength(1);
    expect(messagesAbout(kari.conversationId, title)).toHaveLength(0);
  });

  it('answers a card it cannot read, sends once on a double click, and gets through a chat that is briefly unavailable', async () => {
    expect(invokeCard(await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', { id: 'KU-2026-0001', lang: 'nb' })))).toContain('Kortet kunne ikke leses');

    const form = announcementForm({ startDate: eventDate, units: 'HF', formId: 'double-click', lang: 'nb' });
    const preview = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', form)));
    const confirm = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((a) => a.verb === 'sendAnnouncement');
    bot.connector.failures.set(siri.conversationId, { status: 503, remaining: 2 });
    const first = invokeCard(await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', confirm?.data ?? {}, inPersonalChat(coordinator), 'status-double')));
    const second = invokeCard(await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', confirm?.data ?? {}, inPersonalChat(coordinator), 'status-double')));
    expect(first).toContain('Sendingen er i gang');
    expect(second).toContain('Noen andre endret kunngjøringen i mellomtiden');
    await waitFor(() => statusCardUpdates('status-double').find((card) => card.includes('Ferdig: levert til 1 av 1 mottakere.')), 20_000, 'the final report');
    expect(messagesAbout(siri.conversationId, String(form.title))).toHaveLength(1);
  });

  it('answers in English to an English coordinator, and shows the status by number', async () => {
    const { id } = await compose({ units: 'HF', lang: 'en' }, 'status-english');
    const status = JSON.stringify(await bot.ask(`status ${id}`, { ...coordinator, locale: 'en-GB' }));
    expect(status).toContain(id);
    await waitFor(() => statusCardUpdates('status-english').find((card) => card.includes('Done: delivered to 1 of 1 recipients.')), 30_000, 'the English final report');
    // The recipients' card is in the organisation's language.
    expect(JSON.stringify(messagesAbout(siri.conversationId, id))).toContain('Minn meg på');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser, type TestChannel } from '../support/teamsUsers';

describe('improvement suggestions end to end', () => {
  let bot: BotUnderTest;
  let submitter: NamedUser;
  let ieAdvisor: NamedUser;
  let coordinator: NamedUser;
  let btbManager: NamedUser;
  let outsider: NamedUser;
  let btbChannel: TestChannel;

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error' });
    submitter = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    ieAdvisor = namedUser(bot, 'Audun Brekke', 'audun.brekke@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    btbManager = namedUser(bot, 'Lene Kristiansen', 'lene.kristiansen@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    // People the bot can write to: they have it installed and have talked to it.
    for (const user of [submitter, ieAdvisor, btbManager, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
    await bot.post(personalMessage(bot, submitter, 'jeg jobber på IDI'));
    btbChannel = testChannel('Btb-teamet IE');
  });
  afterAll(async () => bot.stop());

  it("opens the form from chat with the process named and the user's unit filled in", async () => {
    const before = bot.connector.messagesIn(submitter.conversationId).length;
    await bot.post(personalMessage(bot, submitter, 'jeg har et forbedringsforslag for Btb'));
    const form = JSON.stringify(bot.connector.messagesIn(submitter.conversationId).slice(before));
    expect(form).toContain('Nytt forbedringsforslag');
    expect(form).toContain('"id":"process","label":"Prosess","isRequired":true');
    expect(form).toMatch(/"id":"process"[^}]*"value":"BTB"/);
    expect(form).toMatch(/"id":"unit"[^}]*"value":"IDI"/);
    expect(form).toContain('"verb":"submitSuggestion"');
  });

  it("tells how a suggestion travels when asked who takes it further, with the button to the form, in the asker's language", async () => {
    const asker = namedUser(bot, 'Per Spør', 'per.spor@ntnu.example');
    for (const [question, expected] of [
      [
        'Hvem tar forbedringsforslag videre til BOTT?',
        ['Slik går et forbedringsforslag', 'Lønn og lønnsnær HR: prosessrådgiverne i Tjenestesenteret.', 'prosessansvarlig som tar det dit'],
      ],
      ['Kven tek forbetringsforslag vidare?', ['Slik går eit forbetringsforslag', 'Føreslå ei forbetring']],
      ['What happens to an improvement suggestion?', ['How an improvement suggestion travels', 'straight to the process managers in the Joint Administration']],
    ] as const) {
      const before = bot.connector.messagesIn(asker.conversationId).length;
      await bot.post(personalMessage(bot, asker, question));
      const reply = JSON.stringify(bot.connector.messagesIn(asker.conversationId).slice(before));
      for (const text of expected) expect(reply).toContain(text);
      expect(reply).toContain('"verb":"openSuggestionForm"');
      expect(reply).not.toContain('Nytt forbedringsforslag');
    }
  });

  it('gives the form back with the problems marked and everything typed kept, storing nothing', async () => {
    const response = await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: '', description: 'x'.repeat(4001), potential: 'Bedre flyt' })));
    const card = invokeCard(response);
    expect(card).toContain('Noe mangler eller må rettes');
    expect(card).toContain('Må fylles ut.');
    expect(card).toContain('For lang tekst: maks 4000 tegn.');
    expect(card).toContain('"value":"Bedre flyt"');
    expect(card).toContain('x'.repeat(4001));
    const mine = JSON.stringify(await bot.ask('mine forslag', submitter));
    expect(mine).toContain('Du har ikke sendt inn noen forbedringsforslag ennå');
  });

  it('sends a local suggestion to the advisor at the nearest unit up the tree when no channel is registered', async () => {
    const before = bot.connector.messagesIn(ieAdvisor.conversationId).length;
    const card = invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm())));
    const id = suggestionIdIn(card);
    expect(card).toContain(`Takk! Forslaget er registrert som ${id}.`);
    expect(card).toContain('Det er sendt til Audun Brekke');
    const delivered = await waitFor(
      () =>
        bot.connector
          .messagesIn(ieAdvisor.conversationId)
          .slice(before)
          .find((m) => JSON.stringify(m).includes(id)),
      15_000,
      'the routed card',
    );
    expect(JSON.stringify(delivered)).toContain('"verb":"suggestionAction"');
  });

  it('refuses channel registration to anyone but coordinators and the process manager', async () => {
    await bot.post(channelMessage(bot, outsider, btbChannel, 'registrer kanalen for Btb ved IE'));
    expect(JSON.stringify(bot.connector.messagesIn(btbChannel.id))).toContain('Bare forvaltningskoordinator og prosessansvarlig');
  });

  it('registers a channel and routes later suggestions from units below it there', async () => {
    // Teams names a thread "<channel>;messageid=<post>": the registration is for the channel itself.
    const thread = { ...btbChannel, id: `${btbChannel.id};messageid=1700000000001` };
    await bot.post(channelMessage(bot, coordinator, thread, 'registrer kanalen for Btb ved IE'));
    expect(JSON.stringify(bot.connector.messagesIn(thread.id))).toContain('Denne kanalen får nå forbedringsforslag for Behov til betaling ved IE');
    await bot.post(channelMessage(bot, coordinator, btbChannel, 'vis kanaler'));
    expect(JSON.stringify(bot.connector.messagesIn(btbChannel.id))).toContain('Btb-teamet IE');

    const card = invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: 'Bedre bestillingsmaler' }))));
    const id = suggestionIdIn(card);
    expect(card).toContain('Det er sendt til kanalen «Økonomi › Btb-teamet IE»');
    await waitFor(() => bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)), 15_000, 'the card in the channel');

    await bot.post(channelMessage(bot, ieAdvisor, btbChannel, 'åpne forslag'));
    expect(JSON.stringify(bot.connector.messagesIn(btbChannel.id).at(-1))).toContain(id);
  });

  it('sends payroll suggestions to the service centre advisors and central ones to the process manager', async () => {
    const payroll = invokeCard(
      await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ process: 'LONN', title: 'Enklere timelister', system: 'dfo-appen' }))),
    );
    expect(payroll).toContain('Torill Johannessen, Tor Asbjørn Thomassen, Hilde Vik');
    // None of them has the bot yet: the card says so, and the coordinator can list it.
    expect(payroll).toContain('Venter på levering');
    await bot.post(personalMessage(bot, coordinator, 'hei'));
    const awaiting = JSON.stringify(await bot.ask('forslag som venter på levering', coordinator));
    expect(awaiting).toContain(suggestionIdIn(payroll));

    const central = invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ process: 'FTI', title: 'Purring på e-post', system: 'unit4' }))));
    // The process manager has not installed the bot: the confirmation says so and gives the e-mail route.
    expect(central).toContain('Det skal til Thomas Jensen, men er ikke levert ennå');
    expect(central).toContain('kontakt@okavd.ntnu.no');
  });

  it('delivers a waiting suggestion once the recipient installs the bot', async () => {
    const card = invokeCard(
      await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ process: 'ANSK', title: 'Enklere minikonkurranser', system: 'annet' }))),
    );
    const id = suggestionIdIn(card);
    expect(card).toContain('Ingrid Rasmussen');
    const manager = namedUser(bot, 'Ingrid Rasmussen', 'ingrid.rasmussen@ntnu.example');
    await bot.post(personalMessage(bot, manager, 'hei'));
    await waitFor(() => bot.connector.messagesIn(manager.conversationId).find((m) => JSON.stringify(m).includes(id)), 20_000, 'delivery after install');
  });

  it('creates one suggestion when the same submission arrives twice', async () => {
    const submission = suggestionForm({ title: 'Dobbelt innsendt forslag' });
    const first = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', submission))));
    const second = invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', submission)));
    expect(suggestionIdIn(second)).toBe(first);
    expect(second).toContain('allerede registrert');
    const mine = JSON.stringify(await bot.ask('mine forslag', submitter));
    expect(mine.split('Dobbelt innsendt forslag').length - 1).toBe(1);
  });

  it('carries a suggestion through its life, updating the card in place and telling the submitter each time', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: 'Livsløp' })))));
    await waitFor(() => bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)), 15_000, 'the routed card');
    const inChannel = { id: btbChannel.id, conversationType: 'channel' };
    const act = (user: NamedUser, action: string, extra: Record<string, unknown> = {}, conversation = inChannel) =>
      bot.post(cardAction(bot, user, 'suggestionAction', { id, action, view: 'handler', lang: 'nb', ...extra }, conversation));
    const notifications = () => JSON.stringify(bot.connector.messagesIn(submitter.conversationId));

    // An outsider in their own chat is refused without seeing the suggestion, and nothing changes.
    const refused = invokeCard(await act(outsider, 'take', {}, { id: outsider.conversationId, conversationType: 'personal' }));
    expect(refused).toContain('Du kan se status for dine egne forslag og forslag du behandler.');
    expect(refused).not.toContain('Livsløp');

    // The card's buttons act from the card's own thread in the channel.
    const taken = invokeCard(await act(ieAdvisor, 'take', {}, { id: `${btbChannel.id};messageid=1700000000002`, conversationType: 'channel' }));
    expect(taken).toContain(`${id} · Under vurdering`);
    expect(taken).toContain('Audun Brekke tok saken');
    await waitFor(() => notifications().includes(`${id} er nå: Under vurdering`), 15_000, 'the notification');
    await waitFor(() => bot.connector.updatesIn(btbChannel.id).some((u) => JSON.stringify(u.activity).includes('Under vurdering')), 15_000, 'the card updated in place');

    // Withdrawal is only while new.
    const late = invokeCard(await bot.post(cardAction(bot, submitter, 'suggestionAction', { id, action: 'withdraw', view: 'submitter', lang: 'nb' })));
    expect(late).toContain('Det går ikke an fra forslagets nåværende status');

    const forwarded = invokeCard(await act(ieAdvisor, 'forward'));
    expect(forwarded).toContain('Videresendt til prosessansvarlig');
    await waitFor(() => bot.connector.messagesIn(btbManager.conversationId).find((m) => JSON.stringify(m).includes(id)), 15_000, "the process manager's copy");

    const needsReason = invokeCard(await act(btbManager, 'reject', {}, { id: btbManager.conversationId, conversationType: 'personal' }));
    expect(needsReason).toContain('Skriv en begrunnelse');
    const rejected = invokeCard(
      await act(btbManager, 'reject', { comment: 'Dekkes av ny rammeavtale fra januar.' }, { id: btbManager.conversationId, conversationType: 'personal' }),
    );
    expect(rejected).toContain(`${id} · Avslått`);
    await waitFor(() => notifications().includes('Dekkes av ny rammeavtale fra januar.'), 15_000, 'the notification with the comment');

    const status = JSON.stringify(await bot.ask(`status ${id}`, submitter));
    expect(status).toContain('Avslått');
    expect(status).toContain('Lene Kristiansen avslo');
  });

  it('assigns a suggestion to a named member, who can then act on it from their own chat', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm()))));
    await waitFor(() => bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)), 15_000, 'the routed card');
    const posted = JSON.stringify(bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)));
    expect(posted).toContain('graph.microsoft.com/users?scope=currentContext');
    const inChannel = { id: btbChannel.id, conversationType: 'channel' };

    const missing = invokeCard(await bot.post(cardAction(bot, coordinator, 'suggestionAction', { id, action: 'assign', view: 'handler', lang: 'nb' }, inChannel)));
    expect(missing).toContain('Velg hvem saken skal tildeles');
    const assigned = invokeCard(
      await bot.post(cardAction(bot, coordinator, 'suggestionAction', { id, action: 'assign', assignee: ieAdvisor.aadObjectId, view: 'handler', lang: 'nb' }, inChannel)),
    );
    expect(assigned).toContain('Gry-Lene Johansen tildelte saken til Audun Brekke');
    expect(assigned).toMatch(/"title":"Saksbehandler","value":"Audun Brekke"/);
    await waitFor(
      () => JSON.stringify(bot.connector.messagesIn(submitter.conversationId)).includes('Gry-Lene Johansen tildelte saken til Audun Brekke'),
      15_000,
      'the notification',
    );

    const parked = invokeCard(await bot.post(cardAction(bot, ieAdvisor, 'suggestionAction', { id, action: 'park', view: 'handler', lang: 'nb' })));
    expect(parked).toContain(`${id} · Parkert`);
  });

  it('refuses every step to an outsider, and walks the remaining transitions with a notification each', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ process: 'FTI', system: 'unit4' })))));
    const inOwnChat = (user: NamedUser) => ({ id: user.conversationId, conversationType: 'personal' });
    const act = (user: NamedUser, action: string, extra: Record<string, unknown> = {}) =>
      bot.post(cardAction(bot, user, 'suggestionAction', { id, action, view: 'handler', lang: 'nb', ...extra }, inOwnChat(user)));
    // The coordinator may act on every suggestion.
    expect(invokeCard(await act(coordinator, 'take'))).toContain(`${id} · Under vurdering`);
    for (const action of ['take', 'assign', 'forward', 'send-to-bott', 'implement', 'reject', 'park', 'reopen']) {
      const refused = invokeCard(await act(outsider, action, { comment: 'x', assignee: outsider.aadObjectId }));
      expect(refused, action).toContain('Du kan se status for dine egne forslag og forslag du behandler.');
      expect(refused, action).not.toContain(id);
    }
    const notified = (text: string) => waitFor(() => JSON.stringify(bot.connector.messagesIn(submitter.conversationId)).includes(text), 15_000, text);
    expect(invokeCard(await act(coordinator, 'park'))).toContain(`${id} · Parkert`);
    await notified(`${id} er nå: Parkert`);
    expect(invokeCard(await act(coordinator, 'reopen'))).toContain(`${id} · Under vurdering`);
    await notified('Gry-Lene Johansen gjenåpnet');
    expect(invokeCard(await act(coordinator, 'send-to-bott'))).toContain(`${id} · Sendt til BOTT forvaltning`);
    await notified(`${id} er nå: Sendt til BOTT forvaltning`);
    expect(invokeCard(await act(coordinator, 'implement', { comment: 'Tatt inn i versjon 2027.1' }))).toContain(`${id} · Gjennomført`);
    await notified('Tatt inn i versjon 2027.1');
  });

  it('lets the submitter withdraw a new suggestion', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: 'Angret' })))));
    const withdrawn = invokeCard(await bot.post(cardAction(bot, submitter, 'suggestionAction', { id, action: 'withdraw', view: 'submitter', lang: 'nb' })));
    expect(withdrawn).toContain(`${id} · Trukket`);
  });

  it("says the truth on a withdrawn, undelivered suggestion's card, and when it is withdrawn again from an older copy", async () => {
    // Payroll goes to the service centre's advisors, who have no chat with the bot: the card waits for delivery.
    const submitted = invokeCard(
      await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ process: 'LONN', title: 'Angret lønnsforslag', system: 'dfo-appen' }))),
    );
    expect(submitted).toContain('Venter på levering');
    const id = suggestionIdIn(submitted);
    const basedOn = /"basedOn":"([^"]+)"/.exec(submitted)?.[1];
    const withdraw = { id, action: 'withdraw', basedOn, view: 'submitter', lang: 'nb' };
    const withdrawn = invokeCard(await bot.post(cardAction(bot, submitter, 'suggestionAction', withdraw)));
    expect(withdrawn).toContain(`${id} · Trukket`);
    expect(withdrawn).not.toContain('Venter på levering');
    // The same button on the older confirmation card: the change in between was the user's own.
    const again = invokeCard(await bot.post(cardAction(bot, submitter, 'suggestionAction', withdraw)));
    expect(again).toContain('Dette er allerede gjort: du trakk forslaget.');
    expect(again).not.toContain('Noen kom deg i forkjøpet');
  });

  it('lets the first of two simultaneous actions win and shows the second who acted', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: 'Samtidig' })))));
    await waitFor(() => bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)), 15_000, 'the routed card');
    const stored = JSON.stringify(bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)));
    const basedOn = /"basedOn":"([^"]+)"/.exec(stored)?.[1];
    expect(basedOn).toBeTruthy();
    const inChannel = { id: btbChannel.id, conversationType: 'channel' };
    const [first, second] = await Promise.all([
      bot.post(cardAction(bot, ieAdvisor, 'suggestionAction', { id, action: 'take', basedOn, view: 'handler', lang: 'nb' }, inChannel)),
      bot.post(cardAction(bot, coordinator, 'suggestionAction', { id, action: 'reject', comment: 'Dekket av et annet forslag.', basedOn, view: 'handler', lang: 'nb' }, inChannel)),
    ]);
    const cards = [invokeCard(first), invokeCard(second)];
    expect(cards.filter((card) => card.includes('Noen kom deg i forkjøpet'))).toHaveLength(1);
    const status = JSON.stringify(await bot.ask(`status ${id}`, submitter));
    expect(status.includes('Under vurdering') !== status.includes('Avslått')).toBe(true);
  });

  it('offers similar open suggestions to support instead of filing a duplicate, and counts the support', async () => {
    const original = suggestionForm({ title: 'Automatisk varemottak for små innkjøp', description: 'Hvert innkjøp under 5000 kroner må varemottas manuelt i Unit4.' });
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', original))));
    const colleague = namedUser(bot, 'Per Kollega', 'per.kollega@ntnu.example');
    await bot.post(personalMessage(bot, colleague, 'hei'));
    const lookalike = suggestionForm({ title: 'Varemottak for små innkjøp bør skje automatisk', description: 'Små innkjøp under 5000 kroner varemottas manuelt i Unit4 i dag.' });
    const offered = invokeCard(await bot.post(cardAction(bot, colleague, 'submitSuggestion', lookalike)));
    expect(offered).toContain('Ligner forslaget ditt på et av disse?');
    expect(offered).toContain(id);
    expect(offered).toContain('"verb":"supportSuggestion"');
    expect(offered).toContain('Varemottak for små innkjøp bør skje automatisk');
    expect(offered).toContain('"confirmedNew":"true"');

    const token = new RegExp(`"id":"${id}","token":"([^"]+)"`).exec(offered)?.[1];
    // The button sends the form's inputs along: the form comes back with the draft as typed, and the support noted on it.
    const supported = invokeCard(await bot.post(cardAction(bot, colleague, 'supportSuggestion', { ...lookalike, id, token, lang: 'nb' })));
    expect(supported).toContain(`Takk! Du støtter nå ${id}.`);
    expect(supported).toContain('Varemottak for små innkjøp bør skje automatisk');
    expect(supported).toContain('Små innkjøp under 5000 kroner varemottas manuelt i Unit4 i dag.');
    expect(supported).toContain('Du støtter dette forslaget.');
    expect(supported).not.toContain(`"id":"${id}","token"`);
    expect(supported).toContain('"confirmedNew":"true"');
    expect(JSON.stringify(await bot.ask(`status ${id}`, colleague))).toContain('1 person støtter forslaget');
    expect(invokeCard(await bot.post(cardAction(bot, colleague, 'supportSuggestion', { ...lookalike, id, token, lang: 'nb' })))).toContain(`Du støtter allerede ${id}.`);

    const anyway = invokeCard(await bot.post(cardAction(bot, colleague, 'submitSuggestion', { ...lookalike, confirmedNew: 'true' })));
    expect(suggestionIdIn(anyway)).not.toBe(id);
  });

  it('never offers users their own suggestions as similar to their draft', async () => {
    const first = suggestionForm({
      title: 'Felles maler for reiseregninger i Unit4',
      description: 'Reiseregninger føres ulikt ved hvert institutt; felles maler i Unit4 gir færre feil.',
    });
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', first))));
    const again = suggestionForm({
      title: 'Felles maler for reiseregninger i Unit4 for alle',
      description: 'Reiseregninger føres ulikt ved hvert institutt; felles maler gir færre feil.',
    });
    const card = invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', again)));
    expect(card).not.toContain('Ligner forslaget ditt på et av disse?');
    expect(suggestionIdIn(card)).not.toBe(id);
  });

  it('shows a suggestion only to its submitter and handlers', async () => {
    const id = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm({ title: 'Privat' })))));
    expect(JSON.stringify(await bot.ask(`status ${id}`, outsider))).toContain('Du kan se status for dine egne forslag');
    expect(JSON.stringify(await bot.ask('status FF-1999-0001', submitter))).toContain('Fant ikke forslaget FF-1999-0001');
  });
});

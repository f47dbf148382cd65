import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupportTokens } from '../../src/suggestions/supportTokens';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { cardAction, channelMessage, invokeCard, namedUser, personalMessage, testChannel, waitFor, type NamedUser, type TestChannel } from '../support/teamsUsers';

/**
 * Who sees a suggestion, over HTTP with real activities: every read (status,
 * refreshing a card, the card after a button) follows one rule, supporting
 * needs the signed button the similar-suggestions list gave, and the channel
 * list and the delivery queue are for those who manage them.
 */

const SUPPORT_TOKEN_SECRET = randomBytes(32).toString('hex');
const ONLY_OWN = 'Du kan se status for dine egne forslag og forslag du behandler.';
const NOT_OFFERED = 'Du kan støtte et forslag når det blir vist deg som likt ditt eget i skjemaet.';

describe('reads of improvement suggestions', () => {
  let bot: BotUnderTest;
  let submitter: NamedUser;
  let outsider: NamedUser;
  let coordinator: NamedUser;
  let btbManager: NamedUser;
  let channelMember: NamedUser;
  let btbChannel: TestChannel;
  let ftiChannel: TestChannel;

  const submit = async (user: NamedUser, form: Record<string, unknown>) => invokeCard(await bot.post(cardAction(bot, user, 'submitSuggestion', form)));
  const press = async (user: NamedUser, verb: string, data: Record<string, unknown>, conversation?: { id: string; conversationType: string }) =>
    invokeCard(await bot.post(cardAction(bot, user, verb, data, conversation)));
  /** Nothing of the suggestion: not its number, title, description, potential or submitter. */
  const expectNothingOf = (answer: string, id: string, form: Record<string, unknown>) => {
    for (const secret of [id, form.title, form.description, form.potential, submitter.name]) expect(answer).not.toContain(secret as string);
  };

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', SUPPORT_TOKEN_SECRET });
    submitter = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    btbManager = namedUser(bot, 'Lene Kristiansen', 'lene.kristiansen@ntnu.example');
    channelMember = namedUser(bot, 'Per Kanal', 'per.kanal@ntnu.example');
    for (const user of [submitter, outsider, coordinator, btbManager]) await bot.post(personalMessage(bot, user, 'hei'));
    btbChannel = testChannel('Btb-teamet IE');
    ftiChannel = testChannel('Fti-teamet');
    await bot.post(channelMessage(bot, coordinator, btbChannel, 'registrer kanalen for Btb ved IE'));
    await bot.post(channelMessage(bot, coordinator, ftiChannel, 'registrer kanalen for Fti'));
  });
  afterAll(async () => bot?.stop());

  it("gives an outsider refreshing another's card a short line, never the card", async () => {
    const form = suggestionForm();
    const id = suggestionIdIn(await submit(submitter, form));
    for (const view of ['handler', 'submitter']) {
      const answer = await press(outsider, 'refreshSuggestion', { id, view, lang: 'nb' });
      expect(answer).toContain(ONLY_OWN);
      expectNothingOf(answer, id, form);
    }
    // In their language.
    const english = await press(outsider, 'refreshSuggestion', { id, view: 'handler', lang: 'en' });
    expect(english).toContain('You can see the status of your own suggestions');
    // The next number, guessed: the same line.
    const next = `${id.slice(0, 8)}${String(Number(id.slice(8)) + 1).padStart(4, '0')}`;
    await submit(submitter, suggestionForm());
    expect(await press(outsider, 'refreshSuggestion', { id: next, view: 'handler', lang: 'nb' })).toContain(ONLY_OWN);
  });

  it("gives an outsider pressing another's buttons a short line, not the refusal card", async () => {
    const form = suggestionForm();
    const id = suggestionIdIn(await submit(submitter, form));
    const attempts: Array<Record<string, unknown>> = [
      { action: 'take', view: 'handler' },
      // A wrong state and a stale version were answered with the card before the standing was even looked at.
      { action: 'reopen', view: 'handler' },
      { action: 'take', view: 'handler', basedOn: '2000-01-01T00:00:00.000Z' },
      { action: 'withdraw', view: 'submitter' },
    ];
    for (const attempt of attempts) {
      const answer = await press(outsider, 'suggestionAction', { id, lang: 'nb', ...attempt });
      expect(answer, JSON.stringify(attempt)).toContain(ONLY_OWN);
      expectNothingOf(answer, id, form);
    }
    const status = JSON.stringify(await bot.ask(`status ${id}`, submitter));
    expect(status).toContain(`${id} · Ny`);
  });

  it('refuses support without the token the similar list gave, showing nothing and counting nothing', async () => {
    const form = suggestionForm();
    const id = suggestionIdIn(await submit(submitter, form));
    for (const data of [
      { id, lang: 'nb' },
      { id, token: 'forged', lang: 'nb' },
      { id, token: `${Math.floor(Date.now() / 1000) + 3600}.${'A'.repeat(43)}`, lang: 'nb' },
    ]) {
      const answer = await press(outsider, 'supportSuggestion', data);
      expect(answer).toContain(NOT_OFFERED);
      expectNothingOf(answer, id, form);
    }
    const status = JSON.stringify(await bot.ask(`status ${id}`, submitter));
    expect(status).not.toContain('støtter forslaget');
    // Nor does the refusal make the outsider a reader.
    expect(await press(outsider, 'refreshSuggestion', { id, view: 'submitter', lang: 'nb' })).toContain(ONLY_OWN);
  });

  it("supports with the token the similar list gave the user; another user's token and an expired one are refused", async () => {
    const original = suggestionForm({ title: 'Fakturakontroll for småbeløp bør automatiseres', description: 'Fakturaer under 2000 kroner kontrolleres manuelt i Unit4.' });
    const id = suggestionIdIn(await submit(submitter, original));
    const colleague = namedUser(bot, 'Per Kollega', 'per.kollega@ntnu.example');
    const lookalike = suggestionForm({ title: 'Automatisk fakturakontroll for småbeløp', description: 'Småbeløpsfakturaer under 2000 kroner kontrolleres manuelt i Unit4 i dag.' });
    const offered = await submit(colleague, lookalike);
    const token = new RegExp(`"id":"${id}","token":"([^"]+)"`).exec(offered)?.[1];
    expect(token, 'the support button carries a token').toBeTruthy();

    // The colleague's token is worth nothing to someone else.
    const stolen = await press(outsider, 'supportSuggestion', { id, token, lang: 'nb' });
    expect(stolen).toContain(NOT_OFFERED);
    expectNothingOf(stolen, id, original);
    // Nor for another suggestion.
    const other = suggestionIdIn(await submit(submitter, suggestionForm()));
    expect(await press(colleague, 'supportSuggestion', { id: other, token, lang: 'nb' })).toContain(NOT_OFFERED);
    // A genuine token for the colleague, signed with the app's key, but past its time.
    const lastWeek = new SupportTokens({ secret: Buffer.from(SUPPORT_TOKEN_SECRET, 'utf8'), now: () => new Date(Date.now() - 8 * 86_400_000) });
    const expired = lastWeek.issue(colleague.aadObjectId, id);
    expect(await press(colleague, 'supportSuggestion', { id, token: expired, lang: 'nb' })).toContain(NOT_OFFERED);

    const supported = await press(colleague, 'supportSuggestion', { id, token, lang: 'nb' });
    expect(supported).toContain(`Takk! Du støtter nå ${id}.`);
    expect(await press(colleague, 'refreshSuggestion', { id, view: 'submitter', lang: 'nb' })).toContain('1 person støtter forslaget');
    // A supporter was shown it and may see it again.
    expect(await press(colleague, 'refreshSuggestion', { id, view: 'submitter', lang: 'nb' })).toContain(`${id} · Ny`);
  });

  it("gives an outsider who sends a form with another's form id a short line, not the other's suggestion", async () => {
    const form = suggestionForm();
    const id = suggestionIdIn(await submit(submitter, form));
    const replayed = await submit(outsider, { ...form, title: 'Noe annet', description: 'Noe helt annet.' });
    expect(replayed).toContain(ONLY_OWN);
    expectNothingOf(replayed, id, form);
    // The submitter's own repeat still finds it.
    expect(await submit(submitter, form)).toContain('allerede registrert');
  });

  it('keeps the card working for its receivers: the channel it was routed to, the submitter, the coordinator, the process manager', async () => {
    const form = suggestionForm({ title: 'Til kanalen' });
    const id = suggestionIdIn(await submit(submitter, form));
    await waitFor(() => bot.connector.messagesIn(btbChannel.id).find((m) => JSON.stringify(m).includes(id)), 15_000, 'the card in the channel');
    // Anyone in the channel sees the card Teams shows there, from the channel or a thread in it.
    for (const conversationId of [btbChannel.id, `${btbChannel.id};messageid=1700000000009`]) {
      const refreshed = await press(channelMember, 'refreshSuggestion', { id, view: 'handler', lang: 'nb' }, { id: conversationId, conversationType: 'channel' });
      expect(refreshed).toContain(`${id} · Ny`);
      expect(refreshed).toContain('"verb":"suggestionAction"');
    }
    // The same person from another channel is an outsider.
    const elsewhere = await press(channelMember, 'refreshSuggestion', { id, view: 'handler', lang: 'nb' }, { id: ftiChannel.id, conversationType: 'channel' });
    expect(elsewhere).toContain(ONLY_OWN);
    expect(await press(submitter, 'refreshSuggestion', { id, view: 'submitter', lang: 'nb' })).toContain(form.title as string);
    expect(await press(coordinator, 'refreshSuggestion', { id, view: 'handler', lang: 'nb' })).toContain(form.title as string);
    expect(await press(btbManager, 'refreshSuggestion', { id, view: 'handler', lang: 'nb' })).toContain(form.title as string);
  });

  it('lists channel registrations to coordinators (all) and process managers (their processes), and to nobody else', async () => {
    const asked = async (user: NamedUser) => JSON.stringify(await bot.ask('vis kanaler', user));
    const refused = await asked(outsider);
    expect(refused).toContain('Bare forvaltningskoordinatorene og prosessansvarlige kan se hvilke kanaler som er registrert.');
    expect(refused).not.toContain('Btb-teamet IE');
    expect(refused).not.toContain('Fti-teamet');
    const manager = await asked(btbManager);
    expect(manager).toContain('Btb-teamet IE');
    expect(manager).not.toContain('Fti-teamet');
    const all = await asked(coordinator);
    expect(all).toContain('Btb-teamet IE');
    expect(all).toContain('Fti-teamet');
  });

  it("refuses the list of suggestions awaiting delivery with its own words, in the asker's language", async () => {
    const refused = JSON.stringify(await bot.ask('forslag som venter på levering', outsider));
    expect(refused).toContain('Bare forvaltningskoordinatorene kan se hvilke forslag som venter på levering.');
    expect(refused).not.toContain('registrere kanaler');
    const english = namedUser(bot, 'Emma English', 'emma.english@ntnu.example', 'en-GB');
    expect(JSON.stringify(await bot.ask('suggestions awaiting delivery', english))).toContain('Only the management coordinators can see which suggestions are awaiting delivery.');
    expect(JSON.stringify(await bot.ask('forslag som venter på levering', coordinator))).toContain('Forslag som venter på levering');
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { invokeActivity, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { storeEvent } from '../events/fixtures';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { suggestionForm } from '../support/suggestionForms';
import { namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

type Json = Record<string, unknown>;
interface ResultItem {
  contentType: string;
  content: Json;
  preview?: { contentType: string; content: { title?: string; subtitle?: string; text?: string; tap?: { type: string; value: Json } } };
}
interface ExtensionResult {
  type: string;
  text?: string;
  attachmentLayout?: string;
  attachments?: ResultItem[];
}

describe('message extension over HTTP: searches, the suggestion action and unit typeahead', () => {
  let bot: BotUnderTest;
  let announcements: TableAnnouncementStore;
  let kari: NamedUser;
  let ola: NamedUser;
  let emma: NamedUser;

  /** Posts an invoke and returns the HTTP status and the parsed invoke response body. */
  const invoke = async (user: NamedUser, name: string, value: unknown): Promise<{ status: number; body: Json }> => {
    const response = await bot.post({ ...invokeActivity(name, value, user, bot.connector.url), from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId } });
    return { status: response.status, body: response.body ? (JSON.parse(response.body) as Json) : {} };
  };
  /** A search command's answer (`composeExtension`), checked to be a well-formed 200. */
  const search = async (user: NamedUser, commandId: string, text: string | null): Promise<ExtensionResult> => {
    const parameters = text === null ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value: text }];
    const { status, body } = await invoke(user, 'composeExtension/query', { commandId, parameters, queryOptions: { skip: 0, count: 25 } });
    expect(status).toBe(200);
    return body.composeExtension as ExtensionResult;
  };
  const names = (result: ExtensionResult) => (result.attachments ?? []).map((item) => item.preview?.content.title);
  const say = async (user: NamedUser, text: string): Promise<string> => {
    const before = bot.connector.messagesIn(user.conversationId).length;
    const response = await bot.post(personalMessage(bot, user, text));
    expect(response.status).toBeLessThan(300);
    return JSON.stringify(bot.connector.messagesIn(user.conversationId).slice(before));
  };
  const unitSearch = async (user: NamedUser, queryText: string, top = 15) => {
    const { status, body } = await invoke(user, 'application/search', { dataset: 'units', queryText, queryOptions: { skip: 0, top } });
    expect(status).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.search.searchResponse');
    return (body.value as { results: Array<{ title: string; value: string }> }).results;
  };

  beforeAll(async () => {
    const prefix = uniqueTablePrefix('mx');
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', TABLE_PREFIX: prefix, COORDINATORS: 'ida.koordinator@ntnu.example' });
    announcements = await TableAnnouncementStore.open(testConnectionString(), `${prefix}announcements`);
    kari = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    ola = namedUser(bot, 'Ola Nordmann', 'ola.nordmann@ntnu.example');
    emma = namedUser(bot, 'Emma Smith', 'emma.smith@ntnu.example', 'en-GB');
    // Kari has a personal chat with the bot (the confirmation of a suggestion goes there) and works at IDI.
    await say(kari, 'jeg jobber på IDI');
  });
  afterAll(async () => bot.stop());

  describe('Finn rådgiver', () => {
    it('finds the advisors for a process and unit as contact cards to insert', async () => {
      const result = await search(ola, 'findAdvisor', 'btb IE');
      expect(result.type).toBe('result');
      expect(result.attachmentLayout).toBe('list');
      expect(names(result)).toEqual(['Audun Brekke']);
      const item = result.attachments?.[0] as ResultItem;
      expect(item.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
      expect(item.preview?.content.text).toBe('audun.brekke@ntnu.example');
      expect(item.preview?.content.subtitle).toContain('(IE)');
      expect(item.contentType).toBe('application/vnd.microsoft.card.adaptive');
      const card = JSON.stringify(item.content);
      expect(card).toContain('"version":"1.5"');
      expect(card).toContain('Audun Brekke');
      expect(card).toContain('Prosessrådgiver');
      expect(card).toContain('mailto:audun.brekke@ntnu.example');
      expect(card).toContain('https://teams.microsoft.com/l/chat/0/0?users=audun.brekke%40ntnu.example');
      expect(card).toContain('Chat i Teams');
    });

    it('understands unit names, typos and the user’s own unit as the chat does', async () => {
      expect(names(await search(ola, 'findAdvisor', 'prosjektøkonomi fysikk'))).toEqual(['Tor Strøm']);
      // IDI has no PBO advisor of its own: the faculty's (IE) answers, and the card says why.
      const mine = await search(kari, 'findAdvisor', 'PBO my unit');
      expect(names(mine)).toEqual(['Karoline Grønli']);
      expect(JSON.stringify(mine.attachments?.[0]?.content)).toContain('(IDI)');
      expect(names(await search(kari, 'findAdvisor', 'pbo min enhet'))).toEqual(['Karoline Grønli']);
      // Payroll advisors sit in the service centre whatever the unit.
      expect((await search(ola, 'findAdvisor', 'lønn')).attachments?.length).toBeGreaterThan(0);
    });

    it('answers an empty or unclear search with what to type, never an error', async () => {
      const initial = await search(ola, 'findAdvisor', null);
      expect(initial.type).toBe('message');
      expect(initial.text).toContain('btb IE');
      expect(initial.text).toContain('Prosjektøkonomi');
      expect((await search(ola, 'findAdvisor', '')).type).toBe('message');
      expect((await search(ola, 'findAdvisor', 'blåbærsyltetøy')).text).toContain('Skriv en prosess og en enhet');

      const unknownUnit = await search(ola, 'findAdvisor', 'btb ved Atlantis');
      expect(unknownUnit.type).toBe('message');
      expect(unknownUnit.text).toContain('Finner ingen enhet som heter «Atlantis»');

      const noProcess = await search(ola, 'findAdvisor', 'IDI');
      expect(noProcess.text).toContain('Hvilken prosess ved Institutt for datateknologi og informatikk (IDI)?');

      // Ola has no unit on record: "min enhet" asks for the unit in the search itself.
      const ownUnit = await search(ola, 'findAdvisor', 'btb min enhet');
      expect(ownUnit.type).toBe('message');
      expect(ownUnit.text).toContain('Skriv også enheten');
      expect((await search(ola, 'findAdvisor', 'x'.repeat(5000))).text).toContain('for langt');
    });

    it('remembers nothing from a search: neither a unit typed there nor a question waiting for one', async () => {
      await search(ola, 'findAdvisor', 'btb min enhet');
      await search(kari, 'findAdvisor', 'jeg jobber på IFY');
      // Kari's unit is still IDI.
      expect(names(await search(kari, 'findAdvisor', 'PBO my unit'))).toEqual(['Karoline Grønli']);
      // Ola states his unit in chat: no search is answered afterwards as a waiting question.
      const saved = await say(ola, 'jeg jobber på IFY');
      expect(saved).toContain('(IFY)');
      expect(saved).not.toContain('@ntnu.example');
    });

    it('answers in English for an English search', async () => {
      const result = await search(emma, 'findAdvisor', 'who is the project finance advisor at the Department of Physics');
      expect(names(result)).toEqual(['Tor Strøm']);
      expect(JSON.stringify(result.attachments?.[0]?.content)).toContain('Chat in Teams');
      expect(names(await search(emma, 'findAdvisor', 'project finance physics'))).toEqual(['Tor Strøm']);
      expect((await search(emma, 'findAdvisor', null)).text).toContain('"btb IE"');
      expect((await search(emma, 'findAdvisor', 'btb at Atlantis')).text).toContain('There is no unit called "Atlantis"');
    });
  });

  describe('Kurs og fagkaféer', () => {
    let cafe: { id: string; title: string };
    let course: { id: string; title: string };

    beforeAll(async () => {
      cafe = await storeEvent(announcements, {
        kind: 'fagkafe',
        title: 'Fagkafé om varemottak i Unit4',
        startsAt: inDays(5),
        audience: { processes: ['BTB'], roles: ['innkjoper'] },
      });
      course = await storeEvent(announcements, {
        kind: 'kurs',
        title: 'Kurs i budsjettering av prosjekter',
        startsAt: inDays(12),
        audience: { processes: ['PROSJ'], roles: ['prosjektokonom'] },
      });
      // Neither a past event nor a draft is offered.
      await storeEvent(announcements, { kind: 'fagkafe', title: 'Fagkafé som var', startsAt: inDays(-3) });
      await storeEvent(announcements, { kind: 'fagkafe', title: 'Fagkafé under arbeid', startsAt: inDays(8), state: 'draft' });
    });

    it('lists upcoming events, filtered by kind, process, role or words, as announcement cards', async () => {
      const all = await search(ola, 'findEvents', null);
      expect(names(all)).toEqual([cafe.title, course.title]);
      expect(names(await search(ola, 'findEvents', 'fagkafé'))).toEqual([cafe.title]);
      expect(names(await search(ola, 'findEvents', 'kurs for prosjektøkonomer'))).toEqual([course.title]);
      expect(names(await search(ola, 'findEvents', 'btb'))).toEqual([cafe.title]);
      // Words that name no kind, process or role are looked for in the title and description.
      expect(names(await search(ola, 'findEvents', 'unit4'))).toEqual([cafe.title]);
      expect(names(await search(ola, 'findEvents', 'gjennomgang'))).toEqual([cafe.title, course.title]);

      const item = all.attachments?.[0] as ResultItem;
      expect(item.preview?.content.subtitle).toMatch(/^Fagkafé · /);
      const card = JSON.stringify(item.content);
      expect(card).toContain('"verb":"remindMe"');
      expect(card).toContain(`"id":"${cafe.id}"`);
      expect(card).toContain(`/calendar/${cafe.id}.ics`);
      expect(card).toContain('Minn meg på');
      expect(card).toContain('Legg i kalender');
      expect(item.preview?.content.tap).toEqual({ type: 'invoke', title: cafe.title, value: { kind: 'event', id: cafe.id, lang: 'nb' } });
    });

    it('says so when nothing matches', async () => {
      const none = await search(ola, 'findEvents', 'sykkelreparasjon');
      expect(none.type).toBe('message');
      expect(none.text).toBe('Ingen kommende kurs eller fagkaféer passer søket.');
    });

    it('posts the announcement card as it stands when an event is chosen (selectItem)', async () => {
      const { status, body } = await invoke(ola, 'composeExtension/selectItem', { kind: 'event', id: cafe.id, lang: 'nb' });
      expect(status).toBe(200);
      const result = body.composeExtension as ExtensionResult;
      expect(result.type).toBe('result');
      const card = JSON.stringify(result.attachments?.[0]?.content);
      expect(card).toContain(cafe.title);
      expect(card).toContain('"verb":"remindMe"');

      const missing = (await invoke(ola, 'composeExtension/selectItem', { kind: 'event', id: 'KU-2099-9999', lang: 'nb' })).body.composeExtension as ExtensionResult;
      expect(missing).toEqual({ type: 'message', text: 'Fant ikke arrangementet. Det kan være fjernet.' });
      const garbage = await invoke(ola, 'composeExtension/selectItem', { kind: 'person', id: 42 });
      expect(garbage.status).toBe(200);
      expect((garbage.body.composeExtension as ExtensionResult).type).toBe('message');
    });
  });

  describe('Meld som forbedringsforslag', () => {
    const messagePayload = {
      id: '1700000000000',
      messageType: 'message',
      from: { user: { id: '29:someone', displayName: 'Per Kollega' } },
      body: { contentType: 'html', content: '<p>Varemottak <b>tar</b> for lang tid&nbsp;i Unit4 &amp; SAP</p><p>Vi må <at id="0">Kari</at> gjøre det manuelt.</p>' },
    };

    it('opens the suggestion form in a dialog, prefilled with the message as plain text', async () => {
      const { status, body } = await invoke(kari, 'composeExtension/fetchTask', { commandId: 'reportSuggestion', commandContext: 'message', messagePayload });
      expect(status).toBe(200);
      const task = body.task as { type: string; value: { title: string; card: { contentType: string; content: Json } } };
      expect(task.type).toBe('continue');
      expect(task.value.title).toBe('Meld som forbedringsforslag');
      const form = task.value.card.content as { body: Json[]; actions: Json[] };
      const input = (id: string) => form.body.find((element) => element.id === id) as Json;
      const description = String(input('description').value);
      expect(description).toContain('Fra en melding av Per Kollega:');
      expect(description).toContain('Varemottak tar for lang tid i Unit4 & SAP');
      expect(description).toContain('Vi må Kari gjøre det manuelt.');
      expect(description).not.toMatch(/<|&amp;|&nbsp;/);
      // Kari's remembered unit is chosen; the unit input has typeahead over the units.
      expect(input('unit').value).toBe('IDI');
      expect(input('unit')['choices.data']).toEqual({ type: 'Data.Query', dataset: 'units', count: 15 });
      // In a dialog the form submits the dialog (Action.Submit), not a Universal Action.
      expect(form.actions.map((action) => action.type)).toEqual(['Action.Submit']);
    });

    it('returns the form with its problems marked and everything kept when it is incomplete', async () => {
      const data = suggestionForm({ title: '', description: 'Varemottak tar for lang tid', unit: 'IDI' });
      const { status, body } = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', commandContext: 'message', data });
      expect(status).toBe(200);
      const task = body.task as { type: string; value: { card: { content: Json } } };
      expect(task.type).toBe('continue');
      const card = JSON.stringify(task.value.card.content);
      expect(card).toContain('Noe mangler eller må rettes');
      expect(card).toContain('Må fylles ut.');
      expect(card).toContain('Varemottak tar for lang tid');
      expect(card).toContain(String(data.formId));
      expect(card).toContain('"type":"Action.Submit"');
    });

    it('stores and routes a valid suggestion as the chat does, confirms it in the dialog and in the personal chat', async () => {
      const before = bot.connector.messagesIn(kari.conversationId).length;
      const data = suggestionForm({ unit: 'IDI', process: 'BTB' });
      const { status, body } = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', commandContext: 'message', data });
      expect(status).toBe(200);
      const task = body.task as { type: string; value: string };
      expect(task.type).toBe('message');
      expect(task.value).toMatch(/^Takk! Forslaget er registrert som FF-\d{4}-\d{4}\./);
      expect(task.value).toContain('Bekreftelsen er også sendt til deg i chatten');
      const id = /FF-\d{4}-\d{4}/.exec(task.value)?.[0] as string;
      // The confirmation card, with the withdraw button, in Kari's chat with the bot.
      const confirmation = await waitFor(() =>
        bot.connector
          .messagesIn(kari.conversationId)
          .slice(before)
          .find((message) => JSON.stringify(message).includes(id)),
      );
      expect(JSON.stringify(confirmation)).toContain('"action":"withdraw"');
      // Routed as in chat: BTB at IDI goes to the IE faculty's Btb advisor.
      expect(task.value).toContain('Audun Brekke');
      expect(await say(kari, `status ${id}`)).toContain(String(data.title));

      // Teams delivering the same submission twice creates one suggestion.
      const again = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', commandContext: 'message', data });
      expect((again.body.task as { value: string }).value).toContain(id);
    });

    it('never takes a chat between two people, where the action was used, for the user’s chat with the bot', async () => {
      const per = namedUser(bot, 'Per Kollega', 'per.kollega@ntnu.example');
      // A one-to-one chat between Per and a colleague: Teams calls it "personal" too, but the bot is not in it.
      const humanChat = { id: `a:human-chat-${per.aadObjectId}`, conversationType: 'personal', tenantId: 'tenant' };
      const fromHumanChat = (name: string, value: unknown) =>
        bot.post({ ...invokeActivity(name, value, per, bot.connector.url), from: { id: per.id, name: per.name, aadObjectId: per.aadObjectId }, conversation: humanChat });
      expect((await fromHumanChat('composeExtension/fetchTask', { commandId: 'reportSuggestion', messagePayload })).status).toBe(200);
      const submitted = await fromHumanChat('composeExtension/submitAction', { commandId: 'reportSuggestion', data: suggestionForm({ unit: 'IFY' }) });
      const confirmation = (JSON.parse(submitted.body) as { task: { type: string; value: string } }).task;
      expect(confirmation.type).toBe('message');
      expect(confirmation.value).toMatch(/FF-\d{4}-\d{4}/);
      // Per has no chat with the bot: the dialog's confirmation is all, and nothing is written into the colleagues' chat.
      expect(confirmation.value).not.toContain('Bekreftelsen er også sendt');
      expect(bot.connector.received.filter((entry) => entry.conversationId === humanChat.id)).toEqual([]);
    });

    it('offers similar open suggestions in the dialog and supports one from there, and refuses one the form did not offer', async () => {
      const text = {
        process: 'PBO',
        title: 'Budsjettmalen for eksterne prosjekter mangler indeksregulering',
        description: 'Budsjettmalen for eksterne prosjekter regner ikke med indeksregulering av lønn.',
      };
      const first = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', data: suggestionForm(text) });
      const id = /FF-\d{4}-\d{4}/.exec((first.body.task as { value: string }).value)?.[0] as string;
      const similar = await invoke(ola, 'composeExtension/submitAction', { commandId: 'reportSuggestion', data: suggestionForm(text) });
      const task = similar.body.task as { type: string; value: { card: { content: Json } } };
      expect(task.type).toBe('continue');
      const form = JSON.stringify(task.value.card.content);
      expect(form).toContain('Ligner forslaget ditt på et av disse?');
      expect(form).toContain(`"supportSuggestion":"${id}"`);
      expect(form).not.toContain('Action.Execute');
      const supportToken = new RegExp(`"supportSuggestion":"${id}","supportToken":"([^"]+)"`).exec(form)?.[1];
      // Without the token the form gave Ola, nobody can support it from the dialog.
      const unproven = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', data: { supportSuggestion: id, lang: 'nb' } });
      expect(unproven.body.task).toEqual({ type: 'message', value: expect.stringContaining('Du kan støtte et forslag når det blir vist deg') });
      // The dialog's inputs come along: the form stays open with Ola's draft and the support noted on it.
      const draft = { title: 'Utkast fra Ola', description: 'Det Ola skrev i dialogen.' };
      const supported = await invoke(ola, 'composeExtension/submitAction', { commandId: 'reportSuggestion', data: { ...draft, supportSuggestion: id, supportToken, lang: 'nb' } });
      const kept = supported.body.task as { type: string; value: { card: { content: Json } } };
      expect(kept.type).toBe('continue');
      const again = JSON.stringify(kept.value.card.content);
      expect(again).toContain(`Takk! Du støtter nå ${id}.`);
      expect(again).toContain('Utkast fra Ola');
      expect(again).toContain('Det Ola skrev i dialogen.');

      const refused = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', data: { supportSuggestion: 'FF-2099-9999', lang: 'nb' } });
      expect(refused.status).toBe(200);
      expect(refused.body.task).toEqual({ type: 'message', value: expect.stringContaining('Du kan støtte et forslag når det blir vist deg') });
    });
  });

  describe('Spør prosessrådgiveren', () => {
    const messagePayload = {
      id: '1700000000001',
      messageType: 'message',
      from: { user: { id: '29:someone', displayName: 'Per Kollega' } },
      body: { contentType: 'html', content: '<p>Hvordan bestiller jeg fra en <b>ny leverandør</b> i btb&nbsp;når de ikke finnes i Unit4?</p>' },
    };
    const questionForm = (overrides: Json = {}): Json => ({
      process: 'BTB',
      unit: 'IDI',
      text: `Hvordan gjør jeg ${randomUUID()}?`,
      shareable: 'false',
      lang: 'nb',
      formId: randomUUID(),
      ...overrides,
    });
    type Dialog = { type: string; value: { title: string; card: { content: { body: Json[]; actions: Json[] } } } };
    const inputOf = (task: Dialog, id: string) => task.value.card.content.body.find((element) => element.id === id) as Json;

    it('opens the question form in a dialog, prefilled with the message as plain text, its process and the user’s unit', async () => {
      const { status, body } = await invoke(kari, 'composeExtension/fetchTask', { commandId: 'askAdvisor', commandContext: 'message', messagePayload });
      expect(status).toBe(200);
      const task = body.task as Dialog;
      expect(task.type).toBe('continue');
      expect(task.value.title).toBe('Spør prosessrådgiveren');
      expect(inputOf(task, 'text').value).toBe('Hvordan bestiller jeg fra en ny leverandør i btb når de ikke finnes i Unit4?');
      expect(inputOf(task, 'process').value).toBe('BTB');
      expect(inputOf(task, 'unit').value).toBe('IDI');
      // In a dialog the form submits the dialog (Action.Submit), not a Universal Action.
      expect(task.value.card.content.actions.map((action) => action.type)).toEqual(['Action.Submit']);
    });

    it('opens an empty question for a message without text, cuts a very long one to what the form takes, and speaks the user’s language', async () => {
      const empty = (await invoke(kari, 'composeExtension/fetchTask', { commandId: 'askAdvisor', commandContext: 'message', messagePayload: { id: '1' } })).body.task as Dialog;
      expect(empty.type).toBe('continue');
      expect(inputOf(empty, 'text').value).toBe('');
      expect(inputOf(empty, 'process').value).toBe('');
      const long = { ...messagePayload, body: { contentType: 'text', content: 'lønn '.repeat(1000) } };
      const cut = (await invoke(kari, 'composeExtension/fetchTask', { commandId: 'askAdvisor', commandContext: 'message', messagePayload: long })).body.task as Dialog;
      expect(String(inputOf(cut, 'text').value)).toHaveLength(2000);
      const english = (await invoke(emma, 'composeExtension/fetchTask', { commandId: 'askAdvisor', commandContext: 'message', messagePayload: { id: '2' } })).body.task as Dialog;
      expect(english.value.title).toBe('Ask the advisor');
    });

    it('returns the form with its problems marked and everything kept when it is incomplete', async () => {
      const data = questionForm({ text: '', unit: 'IDI', process: 'PBO' });
      const { status, body } = await invoke(kari, 'composeExtension/submitAction', { commandId: 'askAdvisor', commandContext: 'message', data });
      expect(status).toBe(200);
      const task = body.task as Dialog;
      expect(task.type).toBe('continue');
      const card = JSON.stringify(task.value.card.content);
      expect(card).toContain('Noe mangler eller må rettes');
      expect(card).toContain('Må fylles ut.');
      expect(card).toContain(String(data.formId));
      expect(card).toContain('"type":"Action.Submit"');
      expect(card).not.toContain('Action.Execute');
    });

    it('stores and routes a valid question as the chat does, confirms it in the dialog and in the personal chat, once per submission', async () => {
      const before = bot.connector.messagesIn(kari.conversationId).length;
      const data = questionForm();
      const { status, body } = await invoke(kari, 'composeExtension/submitAction', { commandId: 'askAdvisor', commandContext: 'message', data });
      expect(status).toBe(200);
      const task = body.task as { type: string; value: string };
      expect(task.type).toBe('message');
      expect(task.value).toMatch(/^Takk! Spørsmålet er registrert som SP-\d{4}-\d{4}\./);
      // Routed as in chat: Btb at IDI goes to the IE faculty's Btb advisor.
      expect(task.value).toContain('Audun Brekke');
      expect(task.value).toContain('Bekreftelsen er også sendt til deg i chatten med Økonomi og lønn, og svaret kommer dit.');
      const id = /SP-\d{4}-\d{4}/.exec(task.value)?.[0] as string;
      const confirmation = await waitFor(() =>
        bot.connector
          .messagesIn(kari.conversationId)
          .slice(before)
          .find((message) => JSON.stringify(message).includes(id)),
      );
      expect(JSON.stringify(confirmation)).toContain('"action":"withdraw"');
      expect(await say(kari, 'mine spørsmål')).toContain(id);

      const again = await invoke(kari, 'composeExtension/submitAction', { commandId: 'askAdvisor', commandContext: 'message', data });
      expect((again.body.task as { value: string }).value).toContain(id);
      // Another user replaying the submission learns nothing of it.
      const replayed = await invoke(ola, 'composeExtension/submitAction', { commandId: 'askAdvisor', commandContext: 'message', data });
      expect(replayed.body.task).toEqual({ type: 'message', value: 'Du kan se dine egne spørsmål og spørsmål du behandler.' });
    });
  });

  describe('unit typeahead (application/search)', () => {
    it('finds units by code, Norwegian or English name, part of a word and typos', async () => {
      expect((await unitSearch(ola, 'IDI'))[0]).toEqual({ title: 'IDI – Institutt for datateknologi og informatikk', value: 'IDI' });
      expect((await unitSearch(ola, 'fysikk')).map((result) => result.value)).toContain('IFY');
      expect((await unitSearch(ola, 'Department of Comp'))[0]?.value).toBe('IDI');
      expect((await unitSearch(ola, 'datateknolgi'))[0]?.value).toBe('IDI');
      expect((await unitSearch(emma, 'IDI'))[0]?.title).toBe('IDI – Department of Computer Science');
      expect(await unitSearch(ola, 'qqqqqq')).toEqual([]);
      // At most the 15 choices Teams shows, whatever is asked for.
      expect(await unitSearch(ola, '', 100)).toHaveLength(15);
    });

    it('puts the typeahead on every unit input: the suggestion form, the unit picker and the announcement form', async () => {
      const picker = await say(ola, 'hvem er prosessrådgiver for Btb ved Atlantis?');
      expect(picker).toContain('"choices.data":{"type":"Data.Query","dataset":"units","count":15}');
      const form = await say(ola, 'jeg har et forbedringsforslag');
      expect(form).toContain('"choices.data":{"type":"Data.Query","dataset":"units","count":15}');
      // The static list stays, for clients without dynamic typeahead.
      expect(form).toContain('IDI – Institutt for datateknologi og informatikk');
      const coordinator = namedUser(bot, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
      const announcementForm = await say(coordinator, 'ny kunngjøring');
      expect(announcementForm).toMatch(/"id":"units"[^{]*"choices":\[[^\]]*\],"choices\.data":\{"type":"Data\.Query","dataset":"units","count":15\}/);
    });
  });

  describe('bad or unexpected invokes get an answer, never an error', () => {
    it('answers an unknown command with a message', async () => {
      const query = await invoke(ola, 'composeExtension/query', { commandId: 'findUnicorns', parameters: [{ name: 'query', value: 'x' }] });
      expect(query.status).toBe(200);
      expect(query.body.composeExtension).toEqual({ type: 'message', text: expect.stringContaining('Denne kommandoen kjenner ikke appen') });
      const fetchTask = await invoke(ola, 'composeExtension/fetchTask', { commandId: 'findUnicorns' });
      expect(fetchTask.status).toBe(200);
      expect(fetchTask.body.task).toEqual({ type: 'message', value: expect.stringContaining('Denne kommandoen kjenner ikke appen') });
      const submit = await invoke(ola, 'composeExtension/submitAction', { commandId: 'findUnicorns', data: {} });
      expect(submit.status).toBe(200);
      expect(submit.body.task).toEqual({ type: 'message', value: expect.stringContaining('Denne kommandoen kjenner ikke appen') });
      const dataset = await invoke(ola, 'application/search', { dataset: 'unicorns', queryText: 'x' });
      expect(dataset.status).toBe(200);
      expect(dataset.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest' } });
    });

    it('answers malformed payloads with "bad request" in the shape of the invoke', async () => {
      const badRequest = expect.stringContaining('Forespørselen kunne ikke leses');
      for (const value of [
        {},
        null,
        'text',
        { commandId: 42 },
        { commandId: 'findAdvisor', parameters: 'btb IE' },
        { commandId: 'findAdvisor', parameters: [{ name: 'query', value: 'x' }], queryOptions: { count: 'many' } },
      ]) {
        const response = await invoke(ola, 'composeExtension/query', value);
        expect(response.status, JSON.stringify(value)).toBe(200);
        expect(response.body.composeExtension).toEqual({ type: 'message', text: badRequest });
      }
      const taskPayloads: Record<string, unknown[]> = {
        'composeExtension/fetchTask': [undefined, [], { data: {} }, { commandId: '' }, { commandId: 'reportSuggestion', messagePayload: 'x' }],
        'composeExtension/submitAction': [undefined, [], { data: {} }, { commandId: 'reportSuggestion', data: 'x' }],
      };
      for (const [name, values] of Object.entries(taskPayloads)) {
        for (const value of values) {
          const response = await invoke(ola, name, value);
          expect(response.status, `${name} ${JSON.stringify(value)}`).toBe(200);
          expect(response.body.task).toEqual({ type: 'message', value: badRequest });
        }
      }
      for (const value of [{}, { dataset: 7 }, { dataset: 'units', queryText: ['IDI'] }, { dataset: 'units', queryOptions: { top: -1 } }]) {
        const response = await invoke(ola, 'application/search', value);
        expect(response.status, JSON.stringify(value)).toBe(200);
        expect(response.body).toMatchObject({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: badRequest } });
      }
      // A parameter of the wrong type reads as an empty search.
      const numeric = await search(ola, 'findAdvisor', null);
      expect(numeric.type).toBe('message');
      const wrongType = await invoke(ola, 'composeExtension/query', { commandId: 'findAdvisor', parameters: [{ name: 'query', value: 17 }] });
      expect((wrongType.body.composeExtension as ExtensionResult).text).toContain('Skriv en prosess og en enhet');
      // A garbage form in the dialog is a form with problems, not a crash.
      const garbage = await invoke(kari, 'composeExtension/submitAction', {
        commandId: 'reportSuggestion',
        data: { process: ['BTB'], unit: { code: 'IDI' }, title: 7, lang: 'xx' },
      });
      expect(garbage.status).toBe(200);
      expect((garbage.body.task as { type: string }).type).toBe('continue');
      // The bot is still answering.
      expect(names(await search(ola, 'findAdvisor', 'btb IE'))).toEqual(['Audun Brekke']);
    });

    // 400, not the SDK's 501: a request no handler answers is the caller's doing, and 5xx answers are kept for the server's own faults (alerts count them).
    it('answers invokes of features the app does not offer (link unfurling, settings) with 400, not an error', async () => {
      for (const name of ['composeExtension/queryLink', 'composeExtension/querySettingUrl']) {
        expect((await invoke(ola, name, { url: 'https://example.org' })).status, name).toBe(400);
      }
    });

    it('answers an unknown unit in the dialog’s form on the form, with the unit marked', async () => {
      const { body } = await invoke(kari, 'composeExtension/submitAction', { commandId: 'reportSuggestion', data: suggestionForm({ unit: 'ATLANTIS' }) });
      const card = JSON.stringify((body.task as { value: { card: { content: Json } } }).value.card.content);
      expect(card).toContain('Velg en enhet fra listen.');
    });
  });
});

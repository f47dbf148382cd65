import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, postCardAction, startBotUnderTest, type BotUnderTest, type SentMessage, type TestUser } from '../support/botUnderTest';

/**
 * The unit picker's search field and button: the Agents Playground filters the picker's choices only by how their
 * titles begin ("IFY – …"), so "fysikk" or "Physics" find nothing there; the button asks the bot, which searches
 * codes, names and aliases as the typeahead does and answers with the picker narrowed to what matched.
 */

type Json = Record<string, unknown>;
interface Choice {
  title: string;
  value: string;
}

/** Every object in a card, depth first. */
function objectsIn(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(objectsIn);
  if (node === null || typeof node !== 'object') return [];
  return [node as Json, ...Object.values(node).flatMap(objectsIn)];
}

const cardOf = (message: SentMessage | undefined): Json => message?.attachments?.[0]?.content as Json;
const actionData = (card: Json, verb: string): Json => {
  const action = objectsIn(card).find((node) => node.type === 'Action.Execute' && node.verb === verb);
  expect(action, `the card's ${verb} button`).toBeDefined();
  return action?.data as Json;
};
const input = (card: Json, id: string): Json | undefined => objectsIn(card).find((node) => node.id === id);
const choicesOf = (card: Json): Choice[] => (input(card, 'unit')?.choices ?? []) as Choice[];
/** What a card says: its text blocks, its inputs' labels and its buttons. */
const textsOf = (card: Json): string[] =>
  objectsIn(card).flatMap((node) => {
    if (node.type === 'TextBlock') return [String(node.text)];
    if (String(node.type).startsWith('Input.')) return [String(node.label)];
    return String(node.type).startsWith('Action.') ? [String(node.title)] : [];
  });

describe('the unit picker searches codes, names and aliases when its search button is pressed', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest();
  });
  afterAll(async () => bot.stop());

  /** The picker the bot shows for a question about the user's own unit. */
  async function pickerFor(question: string, user: TestUser): Promise<Json> {
    const [reply] = await bot.ask(question, user);
    const card = cardOf(reply);
    expect(input(card, 'unitSearch')).toMatchObject({ type: 'Input.Text' });
    return card;
  }

  /** Presses the search button as a client does: the button's data with the card's inputs. */
  async function search(card: Json, user: TestUser, text: string): Promise<Json> {
    const response = await postCardAction(bot, user, 'searchUnits', { ...actionData(card, 'searchUnits'), unitSearch: text, unit: '' });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { type: string; value: Json };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return body.value;
  }

  it('finds «fysikk» by name, keeps the waiting question, and the chosen unit answers it', async () => {
    const user = newUser();
    const question = 'hvem er prosessrådgiver for Btb hos oss?';
    const picker = await pickerFor(question, user);
    expect(textsOf(picker)).toEqual(expect.arrayContaining(['Søk etter enhet (kode eller navn)', 'Søk']));

    const found = await search(picker, user, 'fysikk');
    expect(textsOf(found)).toEqual(
      expect.arrayContaining(['Hvilken enhet jobber du ved?', '1 enhet passer til «fysikk».', `Deretter svarer jeg på spørsmålet ditt: «${question}»`]),
    );
    expect(choicesOf(found)).toEqual([{ title: 'IFY – Institutt for fysikk', value: 'IFY' }]);
    expect(input(found, 'unit')?.value).toBe('IFY');
    expect(input(found, 'unitSearch')?.value).toBe('fysikk');

    // The narrowed picker's own save button, with the preselected unit, answers the question that waited.
    const before = bot.connector.messagesIn(user.conversationId).length;
    const saved = await postCardAction(bot, user, 'chooseUnit', { ...actionData(found, 'chooseUnit'), unit: input(found, 'unit')?.value, unitSearch: 'fysikk' });
    expect(saved.body).toContain('Notert: du jobber ved Institutt for fysikk (IFY)');
    expect(JSON.stringify(bot.connector.messagesIn(user.conversationId).slice(before))).toContain('Prosessrådgiver for');
  });

  it('finds «Physics» by its English name, in English', async () => {
    const user = newUser('en-US');
    const picker = await pickerFor('who is the process advisor for Btb in my unit?', user);
    const found = await search(picker, user, 'Physics');
    expect(textsOf(found)).toEqual(expect.arrayContaining(['1 unit matches "Physics".', 'Search for a unit (code or name)', 'Search']));
    expect(choicesOf(found)).toEqual([{ title: 'IFY – Department of Physics', value: 'IFY' }]);
    expect(input(found, 'unit')?.value).toBe('IFY');
  });

  it('finds every institute for «Inst», best first, the first one chosen', async () => {
    const user = newUser();
    const found = await search(await pickerFor('hvem er prosessrådgiver for Btb hos oss?', user), user, 'Inst');
    const choices = choicesOf(found);
    expect(choices.length).toBeGreaterThan(10);
    expect(choices.length).toBeLessThan(72);
    expect(textsOf(found)).toContain(`${choices.length} enheter passer til «Inst».`);
    expect(choices.map((choice) => choice.value)).toEqual(expect.arrayContaining(['IFY', 'IDI', 'IMF']));
    expect(new Set(choices.map((choice) => choice.value)).size).toBe(choices.length);
    expect(input(found, 'unit')?.value).toBe(choices[0]?.value);
  });

  it('finds a misspelt name («matematsk»), in nynorsk', async () => {
    const user = newUser('en-US');
    const found = await search(await pickerFor('kven er prosessrådgjevar for Btb hos oss?', user), user, 'matematsk');
    expect(textsOf(found)).toEqual(expect.arrayContaining(['Kva eining jobbar du ved?', '1 eining passar til «matematsk».', 'Søk etter eining (kode eller namn)']));
    expect(choicesOf(found).map((choice) => choice.value)).toEqual(['IMF']);
    expect(input(found, 'unit')?.value).toBe('IMF');
  });

  it('says so when nothing matches, keeps the text to correct, and leaves every unit to choose from', async () => {
    const user = newUser();
    const found = await search(await pickerFor('hvem er prosessrådgiver for Btb hos oss?', user), user, 'xyz');
    expect(textsOf(found)).toContain('Ingen enhet passer til «xyz» – prøv kode eller en del av navnet.');
    expect(choicesOf(found)).toHaveLength(72);
    expect(input(found, 'unit')?.value).toBe('');
    expect(input(found, 'unitSearch')?.value).toBe('xyz');

    const english = newUser('en-US');
    const none = await search(await pickerFor('who is the process advisor for Btb in my unit?', english), english, 'xyz');
    expect(textsOf(none)).toContain('No unit matches "xyz" – try its code or part of its name.');
  });

  it('asks for a search text when the field is empty', async () => {
    const user = newUser();
    const found = await search(await pickerFor('hvem er prosessrådgiver for Btb hos oss?', user), user, '  ');
    expect(textsOf(found)).toContain('Skriv koden eller en del av navnet i søkefeltet, og trykk Søk.');
    expect(choicesOf(found)).toHaveLength(72);
  });

  it('answers a search button with malformed data with the card error, and keeps working', async () => {
    const user = newUser();
    const response = await postCardAction(bot, user, 'searchUnits', { unitSearch: 'fysikk', purpose: 'something-else' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('Noe gikk galt med kortet');
    expect(response.body).not.toContain('"id":"unit"');
    const found = await search(await pickerFor('hvem er prosessrådgiver for Btb hos oss?', user), user, 'fysikk');
    expect(choicesOf(found).map((choice) => choice.value)).toEqual(['IFY']);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableOutboxStore } from '../../src/delivery/outbox';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { suggestionForm, suggestionIdIn } from '../support/suggestionForms';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

/** A BTB suggestion from IDI goes one to one to this advisor, who never installs the bot here. */
const ADVISOR_EMAIL = 'audun.brekke@ntnu.example';
const MAX_ATTEMPTS = 3;

describe('an outbox message that can never be delivered', () => {
  const prefix = uniqueTablePrefix('deadletter');
  let bot: BotUnderTest;
  let outbox: TableOutboxStore;
  let submitter: NamedUser;
  let coordinator: NamedUser;
  let outsider: NamedUser;
  let suggestionId: string;

  beforeAll(async () => {
    bot = await startBotUnderTest({
      TABLE_PREFIX: prefix,
      OUTBOX_POLL_SECONDS: '0.2',
      OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      LOG_LEVEL: 'error',
      COORDINATORS: 'ida.koordinator@ntnu.example',
    });
    outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    submitter = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    coordinator = namedUser(bot, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
    outsider = namedUser(bot, 'Ola Utenfor', 'ola.utenfor@ntnu.example');
    for (const user of [submitter, coordinator, outsider]) await bot.post(personalMessage(bot, user, 'hei'));
    suggestionId = suggestionIdIn(invokeCard(await bot.post(cardAction(bot, submitter, 'submitSuggestion', suggestionForm()))));
  });
  afterAll(async () => bot.stop());

  const routeMessage = async () => (await outbox.list({ kind: 'suggestion-route' })).find((message) => message.id.includes(suggestionId));

  it(`becomes a dead letter after ${MAX_ATTEMPTS} attempts, with the reason, and is not tried again`, async () => {
    const dead = await waitFor(
      async () => {
        const message = await routeMessage();
        return message?.status === 'failed' ? message : undefined;
      },
      20_000,
      'the dead letter',
    );
    expect(dead.attempts).toBe(MAX_ATTEMPTS);
    expect(dead.lastError).toContain(`the bot is not installed for ${ADVISOR_EMAIL}`);
    // Several polls later: no further attempt.
    await sleep(1500);
    expect(await routeMessage()).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('is listed for a coordinator in chat, in each language, and refused to others', async () => {
    await waitFor(async () => (await routeMessage())?.status === 'failed', 20_000, 'the dead letter');
    const listed = JSON.stringify(await bot.ask('vis uleverte meldinger', coordinator));
    expect(listed).toContain('Meldinger som ikke kunne leveres');
    expect(listed).toContain(`route:${suggestionId}`);
    expect(listed).toContain(`the bot is not installed for ${ADVISOR_EMAIL}`);
    expect(JSON.stringify(await bot.ask('vis ulevert meldingar', coordinator))).toContain(`route:${suggestionId}`);
    expect(JSON.stringify(await bot.ask('show undelivered messages', coordinator))).toContain('Messages that could not be delivered');

    const refused = JSON.stringify(await bot.ask('vis uleverte meldinger', outsider));
    expect(refused).toContain('Bare forvaltningskoordinatorene kan se meldinger som ikke kunne leveres.');
    expect(refused).not.toContain(suggestionId);
  });

  it('is listed in the Forvaltning tab for a coordinator, and refused to others', async () => {
    await waitFor(async () => (await routeMessage())?.status === 'failed', 20_000, 'the dead letter');
    const tokenOf = async (name: string, email: string) => {
      const signIn = await fetch(`${bot.app.url}/tabs/api/dev-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, email }) });
      return ((await signIn.json()) as { token: string }).token;
    };
    const undelivered = async (token: string) => fetch(`${bot.app.url}/tabs/api/admin/undelivered`, { headers: { authorization: `Bearer ${token}` } });

    const listed = await undelivered(await tokenOf('Ida Koordinator', 'ida.koordinator@ntnu.example'));
    expect(listed.status).toBe(200);
    const { messages } = (await listed.json()) as { messages: Array<{ message: string; reason: string; attempts: number }> };
    expect(messages.find((row) => row.message.includes(suggestionId))).toMatchObject({ attempts: MAX_ATTEMPTS, reason: expect.stringContaining(ADVISOR_EMAIL) });
    expect((await undelivered(await tokenOf('Ola Utenfor', 'ola.utenfor@ntnu.example'))).status).toBe(403);
  });

  it("is shown on the suggestion's card", async () => {
    await waitFor(async () => (await routeMessage())?.status === 'failed', 20_000, 'the dead letter');
    const card = await waitFor(
      async () => {
        const status = JSON.stringify(await bot.ask(`status ${suggestionId}`, submitter));
        return status.includes('Kunne ikke leveres til') ? status : undefined;
      },
      10_000,
      'the card saying so',
    );
    expect(card).toContain('Kunne ikke leveres til Audun Brekke');
    expect(card).toContain('appen er ikke installert hos mottakeren');
    expect(card).not.toContain('the bot is not installed');
    expect(card).not.toContain('Venter på levering');
  });
});

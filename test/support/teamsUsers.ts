import { randomUUID } from 'node:crypto';
import type { BotUnderTest, TestUser } from './botUnderTest';
import { messageActivity } from './botUnderTest';

/** A Teams user with an e-mail the stand-in connector reports, as TeamsInfo.getMember would. */
export interface NamedUser extends TestUser {
  name: string;
  email: string;
}

export function namedUser(bot: BotUnderTest, name: string, email: string, locale = 'nb-NO'): NamedUser {
  const id = randomUUID();
  const user: NamedUser = { id: `29:${id}`, aadObjectId: id, conversationId: `a:${id}`, locale, name, email };
  // Teams answers for the Teams user id and for the Entra object id (what a people picker gives).
  bot.connector.members.set(user.id, { id: user.id, name, email });
  bot.connector.members.set(user.aadObjectId, { id: user.id, name, email });
  return user;
}

export interface TestChannel {
  id: string;
  name: string;
}

export function testChannel(name: string): TestChannel {
  return { id: `19:${randomUUID()}@thread.tacv2`, name };
}

/** A message in a channel that mentions the bot, as Teams delivers it. */
export function channelMessage(bot: BotUnderTest, user: NamedUser, channel: TestChannel, text: string): Record<string, unknown> {
  return {
    ...messageActivity(`<at>Økonomi og lønn</at> ${text}`, user, bot.connector.url),
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { id: channel.id, conversationType: 'channel', tenantId: 'tenant' },
    channelData: { tenant: { id: 'tenant' }, team: { id: '19:team', name: 'Økonomi' }, channel: { id: channel.id, name: channel.name } },
    entities: [{ type: 'mention', text: '<at>Økonomi og lønn</at>', mentioned: { id: '28:okonomi-og-lonn-bot', name: 'Økonomi og lønn' } }],
  };
}

/**
 * A card button (Action.Execute) pressed by a user in a conversation. Teams
 * names the card's message in replyToId; a card with a refresh action is
 * replaced for everyone through it.
 */
export function cardAction(
  bot: BotUnderTest,
  user: NamedUser,
  verb: string,
  data: Record<string, unknown>,
  conversation: { id: string; conversationType: string } = { id: user.conversationId, conversationType: 'personal' },
  cardMessageId = `card-${randomUUID()}`,
): Record<string, unknown> {
  return {
    ...messageActivity('', user, bot.connector.url),
    type: 'invoke',
    replyToId: cardMessageId,
    name: 'adaptiveCard/action',
    text: undefined,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    conversation: { ...conversation, tenantId: 'tenant' },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A message from a user in their personal chat with the bot. */
export function personalMessage(bot: BotUnderTest, user: NamedUser, text: string): Record<string, unknown> {
  return { ...messageActivity(text, user, bot.connector.url), from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId } };
}

/** The card an Action.Execute answered with (the invoke response's value), as JSON text. */
export function invokeCard(response: { status: number; body: string }): string {
  if (response.status !== 200) throw new Error(`invoke answered ${response.status}: ${response.body}`);
  return JSON.stringify((JSON.parse(response.body) as { value: unknown }).value);
}

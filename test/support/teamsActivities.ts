import { randomUUID } from 'node:crypto';

/** A user of a personal chat with the bot, as Teams names them. Shared by the tests and the benchmarks (no vitest here). */
export interface TestUser {
  id: string;
  aadObjectId: string;
  conversationId: string;
  locale?: string;
}

export function newUser(locale = 'nb-NO'): TestUser {
  const id = randomUUID();
  return { id: `29:${id}`, aadObjectId: id, conversationId: `a:${id}`, locale };
}

/** A Teams personal-chat message activity, as Teams posts it to the bot. */
export function messageActivity(text: string, user: TestUser, serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: user.id, name: 'Test User', aadObjectId: user.aadObjectId },
    recipient: { id: '28:okonomi-og-lonn-bot', name: 'Økonomi og lønn' },
    conversation: { id: user.conversationId, conversationType: 'personal', tenantId: 'tenant' },
    channelData: { tenant: { id: 'tenant' } },
    locale: user.locale ?? 'nb-NO',
    text,
    ...extra,
  };
}

/** An invoke activity (message extension, typeahead search) from a user, as Teams posts it; the bot answers in the HTTP response. */
export function invokeActivity(name: string, value: unknown, user: TestUser, serviceUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...messageActivity('', user, serviceUrl), type: 'invoke', name, text: undefined, value, ...extra };
}

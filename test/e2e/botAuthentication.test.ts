import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageActivity, newUser, startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { startBotFrameworkKeys, type BotFrameworkKeys } from '../support/botFrameworkTokens';

/**
 * /api/messages with a bot identity (not local mode): the Bot Framework token
 * is checked by the SDK against signing keys published by a local stand-in.
 * Every token that is not a valid one for this bot gets 401 with a body that
 * says nothing more; never a 500 with the SDK's message.
 */

const BOT_ID = '00000000-0000-4000-8000-000000000001';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Bot Framework authentication on /api/messages', () => {
  let keys: BotFrameworkKeys;
  let bot: BotUnderTest;

  beforeAll(async () => {
    keys = await startBotFrameworkKeys();
    keys.install();
    bot = await startBotUnderTest({ BOT_ID, BOT_PASSWORD: 'not-a-real-secret' });
  });
  afterAll(async () => {
    await bot?.stop();
    keys?.uninstall();
    await keys?.stop();
  });

  // An activity type the bot ignores: a valid token then gets 200 without the bot calling out to Bot Framework.
  const quiet = () => messageActivity('hei', newUser(), bot.connector.url, { type: 'somethingNew' });
  const post = (activity: Record<string, unknown>, token: string) => bot.post(activity, { authorization: `Bearer ${token}` });
  const valid = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => keys.token({ botId: BOT_ID, serviceUrl: bot.connector.url, claims, header });

  it("accepts a valid channel token (so that the refusals below are the tokens' doing)", async () => {
    expect((await post(quiet(), await valid())).status).toBe(200);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const forged: Array<[string, () => Promise<string>]> = [
    [
      'alg none with the published kid',
      async () =>
        `${base64url({ alg: 'none', kid: keys.kid, typ: 'JWT' })}.${base64url({ iss: 'https://api.botframework.com', aud: BOT_ID, serviceurl: bot.connector.url, nbf: now(), exp: now() + 3600 })}.`,
    ],
    ['a foreign key with the published kid', async () => keys.token({ botId: BOT_ID, serviceUrl: bot.connector.url, key: await keys.foreignKey() })],
    [
      'HS256 keyed with the published public key',
      // The classic confusion: the RSA public key (as PEM) used as an HMAC secret.
      () => keys.token({ botId: BOT_ID, serviceUrl: bot.connector.url, header: { alg: 'HS256' }, key: Buffer.from(keys.publicKeyPem) }),
    ],
    ['a token not valid for another hour', () => valid({ nbf: now() + 3600, exp: now() + 7200 })],
    ['an expired token', () => valid({ nbf: now() - 7200, iat: now() - 7200, exp: now() - 3600 })],
    ['a token for another bot', () => valid({ aud: '00000000-0000-4000-8000-00000000000f' })],
    ['a token for another service URL', () => valid({ serviceurl: 'https://smba.example/' })],
    ['a token from another issuer', () => valid({ iss: 'https://sts.windows.net/someone/' })],
    ['an unknown kid', () => valid({}, { kid: 'no-such-key' })],
    ['a kid that is an object', () => valid({}, { kid: { toString: 'x' } })],
    ['garbage', async () => 'garbage'],
    ['three garbage parts', async () => 'a.b.c'],
    ['a payload that is a string', async () => `${base64url({ alg: 'RS256', kid: keys.kid })}.${base64url('https://api.botframework.com')}.c2ln`],
  ];

  it.each(forged)('refuses %s with 401 and a body that says nothing more', async (_name, makeToken) => {
    const response = await post(quiet(), await makeToken());
    expect(response.status, response.body).toBe(401);
    expect(JSON.parse(response.body)).toEqual({ error: 'unauthorized' });
    expect(bot.connector.received).toHaveLength(0);
  });

  it('refuses a request with no token, or another scheme, with 401', async () => {
    expect((await bot.post(quiet())).status).toBe(401);
    expect((await bot.post(quiet(), { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })).status).toBe(401);
  });

  it('checks the token before the activity: a malformed activity without a valid token is 401, with one 400', async () => {
    const malformed = messageActivity('x', newUser(), bot.connector.url, { text: 12345 });
    expect((await bot.post(malformed)).status).toBe(401);
    const answered = await post(malformed, await valid());
    expect(answered.status).toBe(400);
    expect(answered.body).not.toContain('toLowerCase');
  });

  it("answers 503 when Bot Framework's signing keys cannot be fetched, and 200 again once they can", async () => {
    keys.install({ metadataPath: '/missing' });
    try {
      const response = await post(quiet(), await valid());
      expect(response.status).toBe(503);
      expect(JSON.parse(response.body)).toEqual({ error: 'unavailable' });
    } finally {
      keys.install();
    }
    expect((await post(quiet(), await valid())).status).toBe(200);
  });
});

import { TestAdapter, TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Actor } from '../../src/core/actor';
import { cardActions, cardLanguage, type CardActionCall, type CardReply } from '../../src/teams/cardActions';

type ExecuteHandler = (context: TurnContext, state: TurnState, data: unknown) => Promise<AdaptiveCard | string>;

/** The bot as far as card actions use it: the Action.Execute handlers registered by verb. */
function fakeBot() {
  const handlers = new Map<string, ExecuteHandler>();
  const app = {
    adaptiveCards: {
      actionExecute: (verb: string, handler: ExecuteHandler) => {
        handlers.set(verb, handler);
      },
    },
  } as unknown as Application<TurnState>;
  return { app, click: (verb: string, data: unknown, locale = 'en-GB') => handlers.get(verb)?.(invoke(locale), {} as TurnState, data) };
}

function invoke(locale: string): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'invoke',
    name: 'adaptiveCard/action',
    channelId: 'msteams',
    locale,
    from: { id: '29:kari', name: 'Kari', aadObjectId: 'kari' },
    recipient: { id: '28:bot', name: 'Bot' },
    conversation: { id: 'a:kari', conversationType: 'personal', isGroup: false, name: '' },
  });
}

const KARI: Actor = { id: 'kari', name: 'Kari', email: 'kari@ntnu.example' };

describe('card actions: parse, language, actor, then the handler', () => {
  const data = z.object({ id: z.string().min(1), lang: cardLanguage });

  function setUp(
    handle: (call: CardActionCall<z.output<typeof data>>) => Promise<CardReply>,
    language?: (parsed: z.output<typeof data>, context: TurnContext) => 'nb' | 'nn' | 'en',
  ) {
    const bot = fakeBot();
    const lookups: string[] = [];
    const memory = {
      actorOf: async (context: TurnContext) => {
        lookups.push(context.activity.from.id);
        return KARI;
      },
    };
    cardActions(bot.app, memory)('verb', { data, invalid: (lang) => `invalid:${lang}`, handle, ...(language ? { language } : {}) });
    return { click: bot.click, lookups };
  }

  it("answers data that does not parse in the client's locale, without calling the handler or looking up the user", async () => {
    let called = false;
    const { click, lookups } = setUp(async () => {
      called = true;
      return 'handled';
    });
    expect(await click('verb', { id: '', lang: 'nn' }, 'en-GB')).toBe('invalid:en');
    expect(await click('verb', 'not an object', 'nn-NO')).toBe('invalid:nn');
    expect([called, lookups]).toEqual([false, []]);
  });

  it("replies in the card's language, else the client's locale; a language the app does not know counts as none", async () => {
    const { click } = setUp(async ({ language, data }) => `${data.id}:${language}`);
    expect(await click('verb', { id: 'a', lang: 'nn' }, 'en-GB')).toBe('a:nn');
    expect(await click('verb', { id: 'b' }, 'en-GB')).toBe('b:en');
    expect(await click('verb', { id: 'c', lang: 'de' }, 'nb-NO')).toBe('c:nb');
  });

  it('lets a route choose its language from the parsed data', async () => {
    const { click } = setUp(
      async ({ language }) => language,
      (parsed) => (parsed.id === 'english' ? 'en' : 'nb'),
    );
    expect(await click('verb', { id: 'english', lang: 'nn' })).toBe('en');
  });

  it('looks the user up only when the handler asks, and once however often it asks', async () => {
    const quiet = setUp(async () => 'no actor needed');
    expect(await quiet.click('verb', { id: 'a' })).toBe('no actor needed');
    expect(quiet.lookups).toEqual([]);

    const asking = setUp(async ({ actor }) => {
      const [first, second] = await Promise.all([actor(), actor()]);
      return `${first.id}/${second.id}`;
    });
    expect(await asking.click('verb', { id: 'a' })).toBe('kari/kari');
    expect(asking.lookups).toEqual(['29:kari']);
  });
});

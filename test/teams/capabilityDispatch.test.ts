import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../src/capabilities/capability';
import type { ConversationContext } from '../../src/conversations/conversationContextStore';
import { createLogger } from '../../src/logger';
import { createBotApplication, type BotDependencies } from '../../src/teams/botApplication';
import { privacyIntentRules } from '../../src/privacy/privacyIntents';
import { directoryIntentRules } from '../../src/questions/directoryIntents';
import { chatIntents, type ChatIntents } from '../../src/teams/intents';
import type { IntentRule } from '../../src/understanding/intents';
import { Understander } from '../../src/understanding/understandTurn';
import { seededDirectoryIndex } from '../support/seededDirectory';

/**
 * The bot understands each message once, with every capability's intent rules in one order, and hands the intent
 * to the capability whose rule claimed it; the capabilities are the only place intents are recognised and answered.
 */
describe('intents answered by the capabilities', () => {
  async function bot(capabilities: Pick<Capability, 'name' | 'registerTeams'>[]) {
    const index = await seededDirectoryIndex();
    const saved: ConversationContext[] = [];
    const deps = {
      adapter: new TeamsAdapter({}),
      assistant: { understander: Understander.for(index) },
      directory: { index },
      logger: createLogger('silent'),
      memory: { remember: async () => undefined },
      conversationContexts: { get: async () => null, save: async (context: ConversationContext) => void saved.push(context) },
      capabilities,
    } as unknown as BotDependencies;
    const app = createBotApplication(deps);
    const say = async (text: string): Promise<Partial<Activity>[]> => {
      const context = new TurnContext(new TestAdapter(), {
        type: 'message',
        text,
        channelId: 'msteams',
        deliveryMode: 'expectReplies',
        locale: 'nb-NO',
        from: { id: '29:user', name: 'Kari', aadObjectId: 'kari' },
        recipient: { id: '28:bot', name: 'Bot' },
        conversation: { id: 'a:kari', conversationType: 'personal', isGroup: false, name: '' },
      });
      await app.run(context);
      return context.bufferedReplyActivities;
    };
    return { say, saved };
  }

  const answering = (name: string, ...intents: ChatIntents[]): Pick<Capability, 'name' | 'registerTeams'> => ({ name, registerTeams: () => intents.flat() });

  it("gives each message's intent to the capability that claimed it, and keeps the question a capability answered", async () => {
    const seen: string[] = [];
    const { say, saved } = await bot([
      answering(
        'privacy',
        chatIntents(privacyIntentRules, async ({ intent, language }) => void seen.push(`${intent.capability}:${language}`)),
      ),
      answering(
        'questions',
        chatIntents(directoryIntentRules, async ({ context, intent }) => ({
          question: { process: 'BTB', role: null, unit: 'IE' },
          reply: async () => void (await context.sendActivity(`svar på ${intent.request.kind}`)),
        })),
      ),
    ]);

    expect(await say('slett mine data')).toEqual([]);
    expect(seen).toEqual(['privacy:nb']);
    expect(saved.at(-1)).toMatchObject({ userId: 'kari', conversationId: 'a:kari', process: null, unit: null });

    const replies = await say('hvem kan jeg kontakte om btb ved IE?');
    expect(replies.map((reply) => reply.text)).toEqual(['svar på ask']);
    expect(saved.at(-1)).toMatchObject({ process: 'BTB', unit: 'IE' });
  });

  it('gives a capability of its own the intents its rules claim, at their place in the order, without the understanding knowing it', async () => {
    interface WeatherIntent {
      capability: 'weather';
      asked: string;
    }
    // Before the directory's last rule, which would decline the weather as out of scope.
    const weatherRules: IntentRule<WeatherIntent>[] = [
      { name: 'weather: the weather', priority: 700, recognise: (reading) => (reading.outOfScope === 'weather' ? { capability: 'weather', asked: reading.words } : null) },
    ];
    const seen: string[] = [];
    const { say } = await bot([
      answering(
        'weather',
        chatIntents(weatherRules, async ({ intent }) => void seen.push(intent.asked)),
      ),
      answering(
        'questions',
        chatIntents(directoryIntentRules, async () => undefined),
      ),
    ]);
    await say('Hvordan blir været i morgen?');
    await say('hvem kan jeg kontakte om btb ved IE?');
    expect(seen).toEqual(['hvordan blir vaeret i morgen']);
  });

  it('fails the turn (the adapter then apologises, as for any failed turn) when no capability claims the message', async () => {
    const { say } = await bot([
      answering(
        'privacy',
        chatIntents(privacyIntentRules, async () => undefined),
      ),
    ]);
    await expect(say('hvem kan jeg kontakte om btb ved IE?')).rejects.toThrow('No capability claims the message');
  });

  it('refuses two intent rules at the same place in the order: which wins would be left to chance', async () => {
    const twice = (name: string) =>
      answering(
        name,
        chatIntents(privacyIntentRules, async () => undefined),
      );
    await expect(bot([twice('privacy'), twice('another')])).rejects.toThrow(
      'The intent rules "privacy: "slett mine data", the whole message" and "privacy: "slett mine data", the whole message" have the same priority (100)',
    );
  });
});

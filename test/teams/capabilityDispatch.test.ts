import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { describe, expect, it } from 'vitest';
import type { Capability } from '../../src/capabilities/capability';
import type { ConversationContext } from '../../src/conversations/conversationContextStore';
import { createLogger } from '../../src/logger';
import { createBotApplication, type BotDependencies } from '../../src/teams/botApplication';
import type { IntentHandlers } from '../../src/teams/intents';
import { Understander } from '../../src/understanding/understandTurn';
import { seededDirectoryIndex } from '../support/seededDirectory';

/**
 * The bot understands each message once and hands its intent to the capability that registered for it; the
 * capabilities are the only place intents are answered, and one intent has exactly one capability.
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

  const answering = (name: string, intents: IntentHandlers): Pick<Capability, 'name' | 'registerTeams'> => ({ name, registerTeams: () => intents });

  it("gives each message's intent to the capability that claimed it, and keeps the question a capability answered", async () => {
    const seen: string[] = [];
    const { say, saved } = await bot([
      answering('privacy', { privacy: async ({ intent, language }) => void seen.push(`${intent.capability}:${language}`) }),
      answering('questions', {
        directory: async ({ context, intent }) => ({
          question: { process: 'BTB', role: null, unit: 'IE' },
          reply: async () => void (await context.sendActivity(`svar på ${intent.request.kind}`)),
        }),
      }),
    ]);

    expect(await say('slett mine data')).toEqual([]);
    expect(seen).toEqual(['privacy:nb']);
    expect(saved.at(-1)).toMatchObject({ userId: 'kari', conversationId: 'a:kari', process: null, unit: null });

    const replies = await say('hvem kan jeg kontakte om btb ved IE?');
    expect(replies.map((reply) => reply.text)).toEqual(['svar på ask']);
    expect(saved.at(-1)).toMatchObject({ process: 'BTB', unit: 'IE' });
  });

  it('fails the turn (the adapter then apologises, as for any failed turn) when no capability answers the intent', async () => {
    const { say } = await bot([answering('privacy', { privacy: async () => undefined })]);
    await expect(say('hvem kan jeg kontakte om btb ved IE?')).rejects.toThrow('No capability answers the intent "directory".');
  });

  it('refuses two capabilities answering the same intent', async () => {
    await expect(bot([answering('privacy', { privacy: async () => undefined }), answering('another', { privacy: async () => undefined })])).rejects.toThrow(
      'Two capabilities answer the intent "privacy"; another is the second.',
    );
  });
});

import { INVOKE_RESPONSE_KEY, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { Application, TurnState } from '@microsoft/teams-ai';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import type { AssistantResult } from '../../src/questions/directoryAssistant';
import { ReplyCards } from '../../src/teams/cards/replyCards';
import { registerMessageExtensionHandlers, type MessageExtensionDependencies } from '../../src/teams/messageExtension/messageExtensionHandlers';
import { Understander } from '../../src/understanding/understandTurn';
import { seededDirectoryIndex } from '../support/seededDirectory';

/**
 * Teams abandons an invoke after five seconds. Whatever a dependency does
 * (hangs, throws), the search answers in time with a line saying what
 * happened. The slow and failing look-ups stand in for a directory or
 * storage that does not answer.
 */
describe('message extension invokes within the deadline', () => {
  async function answer(lookUp: () => Promise<AssistantResult>, budgetMs: number): Promise<{ body: unknown; elapsedMs: number }> {
    const index = await seededDirectoryIndex();
    const app = new Application<TurnState>({ startTypingTimer: false, longRunningMessages: false });
    const deps = {
      assistant: { lookUp, understander: Understander.for(index) },
      sharedAnswers: () => Promise.resolve([]),
      directory: { index },
      cards: new ReplyCards(() => index),
      events: {},
      suggestionForms: {},
      logger: createLogger('silent'),
      invokeBudgetMs: budgetMs,
    } as unknown as MessageExtensionDependencies;
    registerMessageExtensionHandlers(app, deps);
    const activity: Partial<Activity> = {
      type: 'invoke',
      name: 'composeExtension/query',
      channelId: 'msteams',
      // Keeps the invoke response in the turn (as the HTTP adapter does) rather than in the test adapter's queue.
      deliveryMode: 'expectReplies',
      locale: 'nb-NO',
      from: { id: '29:user', name: 'User' },
      recipient: { id: '28:bot', name: 'Bot' },
      conversation: { id: 'a:conversation', conversationType: 'personal', isGroup: false, name: '' },
      value: { commandId: 'findAdvisor', parameters: [{ name: 'query', value: 'btb IE' }] },
    };
    const context = new TurnContext(new TestAdapter(), activity);
    const started = Date.now();
    await app.run(context);
    const response = context.turnState.get<{ value: { status: number; body: unknown } } | undefined>(INVOKE_RESPONSE_KEY);
    expect(response?.value.status).toBe(200);
    return { body: response?.value.body, elapsedMs: Date.now() - started };
  }

  it('answers "try again" when the look-up does not finish in time', async () => {
    const { body, elapsedMs } = await answer(() => new Promise<AssistantResult>(() => undefined), 200);
    expect(body).toEqual({ composeExtension: { type: 'message', text: 'Det tok for lang tid å svare. Prøv igjen om litt.' } });
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('answers "something went wrong" when the look-up fails', async () => {
    const { body } = await answer(async () => {
      throw new Error('storage unavailable');
    }, 200);
    expect(body).toEqual({ composeExtension: { type: 'message', text: 'Noe gikk galt. Prøv igjen om litt.' } });
  });
});

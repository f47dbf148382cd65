import type { ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { channelOf } from '../conversations/conversationIds';

/**
 * Runs `logic` in a proactive turn in a stored conversation and lets its
 * failure reach the caller. A failure thrown out of the turn would go to the
 * app's turn-error handler, which logs it and carries on: the caller would take
 * a 403 (bot blocked) for a delivery.
 */
export async function inConversation(
  adapter: Pick<TeamsAdapter, 'continueConversationAsync'>,
  botAppId: string,
  reference: Record<string, unknown> | Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  const turn: { failure?: { error: unknown } } = {};
  // Stored references are Teams' own, kept opaque by the stores.
  await adapter.continueConversationAsync(botAppId, reference as Partial<ConversationReference>, async (context) => {
    try {
      await logic(context);
    } catch (error) {
      turn.failure = { error };
    }
  });
  if (turn.failure) throw turn.failure.error;
}

/**
 * The reference for posting anew in a channel: the channel's own id (not a
 * thread's) and no activity to reply to, so a routed card or an announcement
 * starts its own thread instead of landing under whatever message was seen.
 */
export function channelRootReference(reference: Partial<ConversationReference>): Partial<ConversationReference> {
  const { activityId: _reply, ...rest } = reference;
  const conversation = reference.conversation;
  return conversation ? { ...rest, conversation: { ...conversation, id: channelOf(conversation.id) } } : rest;
}

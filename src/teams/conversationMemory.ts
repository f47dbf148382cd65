import { TeamsInfo, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { ConversationKind, ConversationStore } from '../conversations/conversationStore';
import type { Logger } from '../logger';
import { channelRootReference } from './proactive';
import type { Actor } from '../core/actor';
import { RecentRows } from '../storage/recentRows';

/** Users' e-mail addresses are looked up once per user and instance; Teams does not put them on activities. */
const EMAIL_CACHE_LIMIT = 5000;

/**
 * How long this instance takes a conversation reference it stored to be
 * still stored. Within it, a returning user's turn writes nothing unless the
 * reference changed. What it bounds: when a user's data is deleted through
 * another instance, this one stores their chat again on their next message
 * after at most this long (the deleting instance does so at once), so that
 * the bot can reach them again.
 */
const STORED_REFERENCE_MS = 15 * 60 * 1000;
const STORED_REFERENCE_LIMIT = 50_000;

/**
 * Remembers every conversation the bot is part of (so it can write there
 * later: routed suggestions, notifications) and tells who the sender is.
 */
export class ConversationMemory {
  /** What this instance stored per conversation: the reference and names, without the activity id. */
  private readonly stored = new RecentRows<string>(STORED_REFERENCE_MS, STORED_REFERENCE_LIMIT);
  private readonly emails = new Map<string, string | null>();

  constructor(
    private readonly store: ConversationStore,
    private readonly logger: Logger,
  ) {}

  /** The acting user, with their e-mail when Teams tells it. */
  async actorOf(context: TurnContext): Promise<Actor> {
    const id = userIdOf(context);
    return { id, name: context.activity.from?.name ?? id, email: await this.emailOf(context) };
  }

  /** A member of the current conversation by user id (a people picker gives the Entra object id), or null. */
  async memberOf(context: TurnContext, userId: string): Promise<Actor | null> {
    try {
      const member = await TeamsInfo.getMember(context, userId);
      return { id: member.aadObjectId ?? userId, name: member.name ?? userId, email: member.email ?? member.userPrincipalName ?? null };
    } catch (error) {
      this.logger.debug({ err: error, userId }, 'could not look up the chosen member');
      return null;
    }
  }

  /**
   * Stores the conversation reference when this instance has not stored it as it is now (after a restart it is
   * stored again, which is harmless), from activities that show the bot is in the conversation; for a personal chat
   * this also points the user's index at it.
   */
  async remember(context: TurnContext): Promise<void> {
    const conversation = context.activity.conversation;
    if (!conversation?.id || !showsBotIsMember(context.activity)) return;
    const kind: ConversationKind = conversation.conversationType === 'channel' ? 'channel' : conversation.conversationType === 'groupChat' ? 'groupChat' : 'personal';
    // A channel is remembered as itself, whichever thread the bot was seen in.
    const seen = TurnContext.getConversationReference(context.activity) as ConversationReference;
    const reference = kind === 'channel' ? channelRootReference(seen) : seen;
    const conversationId = reference.conversation?.id ?? conversation.id;
    const from = context.activity.from;
    const user = kind === 'personal' && from ? { id: from.aadObjectId ?? from.id, name: from.name ?? null } : null;
    const name = kind === 'channel' ? channelNameOf(context) : null;
    // Every message has its own activity id; the reference is the same without it.
    const fingerprint = JSON.stringify([{ ...reference, activityId: undefined }, user, name]);
    if (this.stored.get(conversationId) === fingerprint) return;
    try {
      await this.store.remember({
        conversationId,
        kind,
        reference,
        user: user && { ...user, email: await this.emailOf(context) },
        name,
        updatedAt: new Date().toISOString(),
      });
      this.stored.set(conversationId, fingerprint);
    } catch (error) {
      // Not remembering a conversation must not cost the user their answer; it is tried again next turn.
      this.logger.warn({ err: error, conversationId }, 'could not store the conversation reference');
    }
  }

  /**
   * Drops what this instance holds about the sender and their conversation
   * (after their data was deleted), so their next turn stores the chat afresh.
   */
  forget(context: TurnContext): void {
    if (context.activity.conversation?.id) this.stored.delete(context.activity.conversation.id);
    if (context.activity.from?.id) this.emails.delete(context.activity.from.id);
  }

  private async emailOf(context: TurnContext): Promise<string | null> {
    const from = context.activity.from;
    if (!from?.id) return null;
    if (this.emails.has(from.id)) return this.emails.get(from.id) ?? null;
    let email: string | null;
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      email = member.email ?? member.userPrincipalName ?? null;
    } catch (error) {
      // Not cached: a passing failure must not leave the user without an address for the rest of the day.
      this.logger.debug({ err: error }, 'could not look up the member');
      return null;
    }
    if (this.emails.size >= EMAIL_CACHE_LIMIT) this.emails.clear();
    this.emails.set(from.id, email);
    return email;
  }
}

/**
 * Whether the activity shows that the bot is a member of its conversation, so it can write there later: a message
 * (Teams sends the bot only messages of conversations it is in), its installation, or a change of members that did not
 * remove it. An invoke does not: a card from the message extension, or a card copied out of the bot's chat, can be
 * clicked in a one-to-one chat between two people, which Teams also calls personal; storing that would move the
 * user's notifications into a chat the bot cannot write to.
 */
function showsBotIsMember(activity: Activity): boolean {
  switch (activity.type) {
    case 'message':
      return true;
    case 'installationUpdate':
      return activity.action === 'add' || activity.action === 'add-upgrade';
    case 'conversationUpdate':
      return !(activity.membersRemoved ?? []).some((member) => member.id === activity.recipient?.id);
    default:
      return false;
  }
}

/** The acting user's id: Teams user ids differ per bot registration, the Entra object id is stable, so it is preferred. */
export function userIdOf(context: TurnContext): string {
  return context.activity.from?.aadObjectId ?? context.activity.from?.id ?? 'unknown';
}

/** A channel's name as Teams shows it, "Team › Channel" (Teams leaves out the name of a team's General channel). */
function channelNameOf(context: TurnContext): string | null {
  const channelData = context.activity.channelData as { channel?: { name?: string }; team?: { name?: string } } | undefined;
  return [channelData?.team?.name, channelData?.channel?.name].filter(Boolean).join(' › ') || null;
}

import type { KnownConversation } from '../conversations/conversationStore';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { UserProfile } from '../profiles/userProfileStore';
import type { AudienceResolver, Recipient } from './announcementPorts';
import type { Audience, EventKind, ProcessRole } from './model';
import { topicMatches, type Subscriptions, type Topic } from './subscriptions';

/** What the audience rules know about one user. */
export interface AudienceMember {
  roles: readonly ProcessRole[];
  topics: readonly Topic[];
  /** The user's unit and the units above it (a faculty includes its departments). */
  units: readonly string[];
}

/**
 * Whether an announcement concerns a user: it is for everyone, or for one of
 * the user's process roles, or for their unit or a unit above it, or it is
 * about a topic the user follows (a kind, a process, a role). An announcement
 * for no one in particular (channels only) reaches no personal chat:
 * following a topic widens an audience, it does not create one.
 */
export function reaches(announcement: { kind: EventKind | null; audience: Audience }, member: AudienceMember): boolean {
  const { audience } = announcement;
  if (audience.everyone) return true;
  if (audience.roles.length + audience.processes.length + audience.units.length === 0) return false;
  return (
    audience.roles.some((role) => member.roles.includes(role)) ||
    audience.units.some((unit) => member.units.includes(unit)) ||
    member.topics.some((topic) => topicMatches(topic, announcement))
  );
}

/** A personal chat an announcement goes to, with who it is for the coordinator's failure list. */
export interface AudienceRecipient extends Recipient {
  /** The user's e-mail or name. */
  label: string;
}

export interface SubscriberAudienceDependencies {
  /** The personal chats the bot has (list('personal') of the conversation store). */
  personalChats: () => Promise<KnownConversation[]>;
  /** The same a page at a time (listPages('personal')), for resolvePages; without it, resolvePages gives one page. */
  personalChatPages?: () => AsyncIterable<KnownConversation[]>;
  profiles: { list(): Promise<UserProfile[]> };
  subscriptions: { list(): Promise<Subscriptions[]> };
  directory: () => DirectoryIndex;
}

/**
 * Resolves an announcement's audience to personal chats. Three range reads
 * (chats, profiles, subscriptions) and a pass in memory: for 10,000 users a
 * few thousand rows a page, well under a second against Table Storage, and
 * nothing per user.
 */
export class SubscriberAudience implements AudienceResolver {
  constructor(private readonly deps: SubscriberAudienceDependencies) {}

  /** How many personal chats it would reach (the coordinator's preview). */
  async count(audience: Audience, kind: EventKind | null = null): Promise<number> {
    return (await this.resolve(audience, kind)).length;
  }

  /**
   * The personal chats an announcement reaches. Without its kind, the topics
   * people follow by kind ("fagkaféer") cannot match; the rest still do.
   */
  async resolve(audience: Audience, kind: EventKind | null = null): Promise<AudienceRecipient[]> {
    const [chats, member] = await Promise.all([this.deps.personalChats(), this.members()]);
    return this.reached(chats, { kind, audience }, member);
  }

  /**
   * The same a page of personal chats at a time, as storage returns them: a
   * delivery of thousands starts with the first page while the rest are read.
   */
  async *resolvePages(audience: Audience, kind: EventKind | null = null): AsyncIterable<AudienceRecipient[]> {
    const pages = this.deps.personalChatPages?.() ?? (async function* (chats: Promise<KnownConversation[]>) {
      yield await chats;
    })(this.deps.personalChats());
    const member = await this.members();
    for await (const chats of pages) yield this.reached(chats, { kind, audience }, member);
  }

  /** What the audience rules know of each user: their unit's chain and what they follow, from two range reads. */
  private async members(): Promise<(userId: string) => AudienceMember> {
    const [profiles, subscriptions] = await Promise.all([this.deps.profiles.list(), this.deps.subscriptions.list()]);
    const index = this.deps.directory();
    const unitByUser = new Map(profiles.map((profile) => [profile.userId, profile.unitCode]));
    const subscriptionsByUser = new Map(subscriptions.map((entry) => [entry.userId, entry]));
    // Many users share a unit: its chain is worked out once.
    const chains = new Map<string, string[]>();
    const chainOf = (unit: string) => {
      let chain = chains.get(unit);
      if (!chain) {
        chain = index.unitChain(unit).map((entry) => entry.code);
        chains.set(unit, chain);
      }
      return chain;
    };

    return (userId) => {
      const unit = unitByUser.get(userId) ?? null;
      const followed = subscriptionsByUser.get(userId);
      return { roles: followed?.roles ?? [], topics: followed?.topics ?? [], units: unit ? chainOf(unit) : [] };
    };
  }

  private reached(chats: readonly KnownConversation[], announcement: { kind: EventKind | null; audience: Audience }, memberOf: (userId: string) => AudienceMember): AudienceRecipient[] {
    const recipients: AudienceRecipient[] = [];
    for (const chat of chats) {
      if (chat.kind !== 'personal' || !chat.user) continue;
      if (reaches(announcement, memberOf(chat.user.id))) {
        recipients.push({ conversationId: chat.conversationId, reference: chat.reference, label: chat.user.email ?? chat.user.name ?? chat.user.id });
      }
    }
    return recipients;
  }
}

import type { KnownConversation } from '../conversations/conversationStore';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { UserProfile } from '../profiles/userProfileStore';
import type { RoleHolder } from '../roleHolders/model';
import type { AudienceReach, AudienceReachEntry, AudienceResolver, Recipient } from './announcementPorts';
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

/**
 * Whether an announcement concerns a person in the coordinator's role-holder
 * list, by one of their rows: it is for everyone, or the row passes every
 * choice the audience makes (one of its roles, within one of its units, for
 * one of its processes: a row without a process holds the role for every
 * process). Stricter than `reaches` for self-declared roles, where one
 * matching choice is enough: the list says exactly where a person holds a
 * role, so "innkjøpere at IE" means those, not every innkjøper and everyone at IE.
 */
export function holdsAudienceRole(audience: Audience, holder: RoleHolder, unitChain: readonly string[]): boolean {
  if (audience.everyone) return true;
  if (audience.roles.length + audience.processes.length + audience.units.length === 0) return false;
  return (
    (audience.roles.length === 0 || audience.roles.includes(holder.role)) &&
    (audience.units.length === 0 || audience.units.some((unit) => unitChain.includes(unit))) &&
    (audience.processes.length === 0 || holder.process === null || audience.processes.includes(holder.process))
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
  /** The coordinator's role-holder list; without it, only self-declared roles count. */
  roleHolders?: () => Promise<readonly RoleHolder[]>;
  /** Whether the app installs itself for people it has no chat with (proactive installation); off unless configured. */
  installationEnabled?: () => boolean;
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
    const [chats, member, listed] = await Promise.all([this.deps.personalChats(), this.members(), this.listedPeople(audience)]);
    const seen = new Seen();
    return [...this.reached(chats, { kind, audience }, member, listed, seen), ...this.toInstall(listed, seen)];
  }

  /**
   * Everyone the audience concerns, from both sources, once each (a person
   * in the list who has a chat with the bot is matched to it by e-mail), and
   * whether the bot can reach them now: the coordinator's preview and list.
   */
  async reach(audience: Audience, kind: EventKind | null = null): Promise<AudienceReach> {
    const [chats, member, listed] = await Promise.all([this.deps.personalChats(), this.members(), this.listedPeople(audience)]);
    const announcement = { kind, audience };
    const entries: AudienceReachEntry[] = [];
    const chatEmails = new Set<string>();
    const seen = new Seen();
    for (const chat of chats) {
      if (chat.kind !== 'personal' || !chat.user || !seen.first(chat.user)) continue;
      const email = chat.user.email?.toLowerCase() ?? null;
      if (email !== null) chatEmails.add(email);
      const listedPerson = email === null ? undefined : listed.get(email);
      const declared = reaches(announcement, member(chat.user.id));
      if (!declared && listedPerson === undefined) continue;
      entries.push({
        name: chat.user.name ?? listedPerson?.name ?? null,
        email: chat.user.email ?? listedPerson?.email ?? null,
        userId: chat.user.id,
        sources: [...(declared ? (['self-declared'] as const) : []), ...(listedPerson ? (['role-list'] as const) : [])],
        status: 'reachable',
      });
    }
    const installationEnabled = this.deps.installationEnabled?.() ?? false;
    for (const [email, person] of listed) {
      if (chatEmails.has(email)) continue;
      entries.push({ name: person.name, email: person.email, userId: null, sources: ['role-list'], status: installationEnabled ? 'needs-installation' : 'installation-off' });
    }
    const reachable = entries.filter((entry) => entry.status === 'reachable').length;
    const withoutChat = entries.length - reachable;
    return {
      people: entries.length,
      reachable,
      needsInstallation: withoutChat,
      unreachable: installationEnabled ? 0 : withoutChat,
      installationEnabled,
      entries,
    };
  }

  /**
   * The same a page of personal chats at a time, as storage returns them: a
   * delivery of thousands starts with the first page while the rest are read.
   */
  async *resolvePages(audience: Audience, kind: EventKind | null = null): AsyncIterable<AudienceRecipient[]> {
    const pages =
      this.deps.personalChatPages?.() ??
      (async function* (chats: Promise<KnownConversation[]>) {
        yield await chats;
      })(this.deps.personalChats());
    const [member, listed] = await Promise.all([this.members(), this.listedPeople(audience)]);
    const seen = new Seen();
    for await (const chats of pages) yield this.reached(chats, { kind, audience }, member, listed, seen);
    // Those with no chat are known once every chat has been read.
    const rest = this.toInstall(listed, seen);
    if (rest.length > 0) yield rest;
  }

  /**
   * The people of the list the bot has no chat with, when the app installs itself for them (proactive
   * installation): the broadcast has the app installed for each first. Left out while installation is off (the
   * preview counts them as not reached).
   */
  private toInstall(listed: ReadonlyMap<string, RoleHolder>, seen: Seen): AudienceRecipient[] {
    if (!(this.deps.installationEnabled?.() ?? false)) return [];
    const recipients: AudienceRecipient[] = [];
    for (const [email, person] of listed) {
      if (seen.emails.has(email)) continue;
      recipients.push({ conversationId: installationRecipientId(email), reference: {}, label: person.email, installFor: person.email });
    }
    return recipients;
  }

  /** The people of the role-holder list the audience concerns, by lower-cased e-mail (one entry however many rows match). */
  private async listedPeople(audience: Audience): Promise<Map<string, RoleHolder>> {
    const holders = (await this.deps.roleHolders?.()) ?? [];
    const index = this.deps.directory();
    const chains = new Map<string, string[]>();
    const people = new Map<string, RoleHolder>();
    for (const holder of holders) {
      const email = holder.email.toLowerCase();
      if (people.has(email)) continue;
      let chain = chains.get(holder.unit);
      if (!chain) {
        chain = index.unitChain(holder.unit).map((entry) => entry.code);
        chains.set(holder.unit, chain);
      }
      if (holdsAudienceRole(audience, holder, chain)) people.set(email, holder);
    }
    return people;
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

  /** The chats of people the audience reaches by their own roles or by the list; one per chat, so nobody twice. */
  private reached(
    chats: readonly KnownConversation[],
    announcement: { kind: EventKind | null; audience: Audience },
    memberOf: (userId: string) => AudienceMember,
    listed: ReadonlyMap<string, RoleHolder>,
    seen: Seen,
  ): AudienceRecipient[] {
    const recipients: AudienceRecipient[] = [];
    for (const chat of chats) {
      if (chat.kind !== 'personal' || !chat.user || !seen.first(chat.user)) continue;
      const inList = chat.user.email !== null && listed.has(chat.user.email.toLowerCase());
      if (inList || reaches(announcement, memberOf(chat.user.id))) {
        recipients.push({ conversationId: chat.conversationId, reference: chat.reference, label: chat.user.email ?? chat.user.name ?? chat.user.id });
      }
    }
    return recipients;
  }
}

/** The recipient id of a person the app is to be installed for: stands for them until the installation gives their chat. */
export function installationRecipientId(email: string): string {
  return `install:${email.toLowerCase()}`;
}

/**
 * The people met so far, by user id and e-mail: a person with two personal chats (the chat a proactive
 * installation gave, and the one Teams reported when it installed the app) is reached through the first only.
 */
class Seen {
  readonly ids = new Set<string>();
  readonly emails = new Set<string>();

  /** Whether this is the first chat met with the user; remembers them. */
  first(user: { id: string; email: string | null }): boolean {
    if (this.ids.has(user.id)) return false;
    this.ids.add(user.id);
    if (user.email !== null) this.emails.add(user.email.toLowerCase());
    return true;
  }
}

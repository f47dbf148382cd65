import type { Announcement, EventKind, ProcessRole } from './model';

/**
 * One thing a user follows: events of a kind, for a process, for a role, or a
 * combination; null in a field means any. "abonner på fagkaféer og kurs for
 * Btb" is stored as one topic per kind, so a single topic can later be
 * dropped ("avslutt abonnement på kurs") without rewriting the others.
 */
export interface Topic {
  kind: EventKind | null;
  process: string | null;
  role: ProcessRole | null;
}

/** What a user told the bot about themselves and wants to hear about. */
export interface Subscriptions {
  userId: string;
  /** The process roles the user holds: announcements for these roles reach them. */
  roles: ProcessRole[];
  topics: Topic[];
  updatedAt: string | null;
}

/** Kinds, processes and roles named in a message; an empty list names none. */
export interface EventFilter {
  kinds: EventKind[];
  processes: string[];
  roles: ProcessRole[];
}

/**
 * More topics than anyone follows on purpose; it keeps a user's row well
 * inside Table Storage's property size whatever the cross product of a message.
 */
export const MAX_TOPICS = 100;

export function emptySubscriptions(userId: string): Subscriptions {
  return { userId, roles: [], topics: [], updatedAt: null };
}

export function isEmptyFilter(filter: EventFilter): boolean {
  return filter.kinds.length === 0 && filter.processes.length === 0 && filter.roles.length === 0;
}

export function topicKey(topic: Topic): string {
  return `${topic.kind ?? '*'}|${topic.process ?? '*'}|${topic.role ?? '*'}`;
}

/** The topics a filter names: one per combination of its kinds, processes and roles. */
export function topicsOf(filter: EventFilter): Topic[] {
  const kinds = filter.kinds.length > 0 ? filter.kinds : [null];
  const processes = filter.processes.length > 0 ? filter.processes : [null];
  const roles = filter.roles.length > 0 ? filter.roles : [null];
  return kinds.flatMap((kind) => processes.flatMap((process) => roles.map((role) => ({ kind, process, role }))));
}

export type SubscribeResult = { kind: 'subscribed'; subscriptions: Subscriptions; added: Topic[] } | { kind: 'too-many'; subscriptions: Subscriptions };

/** Adds the topics a filter names; those already followed are left as they are. */
export function subscribe(current: Subscriptions, filter: EventFilter, now: Date): SubscribeResult {
  const known = new Set(current.topics.map(topicKey));
  const added = topicsOf(filter).filter((topic) => !known.has(topicKey(topic)));
  if (current.topics.length + added.length > MAX_TOPICS) return { kind: 'too-many', subscriptions: current };
  if (added.length === 0) return { kind: 'subscribed', subscriptions: current, added };
  return { kind: 'subscribed', subscriptions: { ...current, topics: [...current.topics, ...added], updatedAt: now.toISOString() }, added };
}

/**
 * Drops the topics a filter covers: every field the filter names must hold one
 * of its values ("avslutt abonnement på Btb" drops Btb and fagkaféer for Btb,
 * not all fagkaféer). A filter of roles alone drops those roles as well.
 */
export function unsubscribe(current: Subscriptions, filter: EventFilter, now: Date): { subscriptions: Subscriptions; removedTopics: Topic[]; removedRoles: ProcessRole[] } {
  const covers = (topic: Topic) =>
    (filter.kinds.length === 0 || (topic.kind !== null && filter.kinds.includes(topic.kind))) &&
    (filter.processes.length === 0 || (topic.process !== null && filter.processes.includes(topic.process))) &&
    (filter.roles.length === 0 || (topic.role !== null && filter.roles.includes(topic.role)));
  const removedTopics = current.topics.filter(covers);
  const rolesOnly = filter.kinds.length === 0 && filter.processes.length === 0;
  const removedRoles = rolesOnly ? current.roles.filter((role) => filter.roles.includes(role)) : [];
  if (removedTopics.length === 0 && removedRoles.length === 0) return { subscriptions: current, removedTopics, removedRoles };
  return {
    subscriptions: {
      ...current,
      topics: current.topics.filter((topic) => !covers(topic)),
      roles: current.roles.filter((role) => !removedRoles.includes(role)),
      updatedAt: now.toISOString(),
    },
    removedTopics,
    removedRoles,
  };
}

/** "avslutt abonnement" with nothing named: no topics and no roles left. */
export function unsubscribeAll(current: Subscriptions, now: Date): Subscriptions {
  return { ...current, roles: [], topics: [], updatedAt: now.toISOString() };
}

export function addRoles(current: Subscriptions, roles: readonly ProcessRole[], now: Date): { subscriptions: Subscriptions; added: ProcessRole[] } {
  const added = [...new Set(roles)].filter((role) => !current.roles.includes(role));
  if (added.length === 0) return { subscriptions: current, added };
  return { subscriptions: { ...current, roles: [...current.roles, ...added], updatedAt: now.toISOString() }, added };
}

/**
 * The settings card says the whole state at once: the roles ticked, the
 * followed topics left ticked, and any kinds and processes chosen to add.
 */
export function applySettings(current: Subscriptions, settings: { roles: readonly ProcessRole[]; keepTopics: readonly string[]; add: EventFilter }, now: Date): SubscribeResult {
  const kept = current.topics.filter((topic) => settings.keepTopics.includes(topicKey(topic)));
  const base: Subscriptions = { ...current, roles: [...new Set(settings.roles)], topics: kept, updatedAt: now.toISOString() };
  if (isEmptyFilter(settings.add)) return { kind: 'subscribed', subscriptions: base, added: [] };
  const result = subscribe(base, settings.add, now);
  return result.kind === 'too-many' ? { kind: 'too-many', subscriptions: current } : result;
}

/** Whether an announcement is about a topic: each field the topic names must match it. */
export function topicMatches(topic: Topic, announcement: { kind: EventKind | null; audience: Pick<Announcement['audience'], 'processes' | 'roles'> }): boolean {
  return (
    (topic.kind === null || topic.kind === announcement.kind) &&
    (topic.process === null || announcement.audience.processes.includes(topic.process)) &&
    (topic.role === null || announcement.audience.roles.includes(topic.role))
  );
}

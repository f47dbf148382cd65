import type { DirectoryIndex } from '../directory/directoryIndex';
import { resolveAdvisors, resolveRoleHolders } from '../directory/resolveContacts';
import { ROLE } from '../directory/model';
import { registrationKey, type ChannelRegistration, type ChannelRegistrationStore } from '../conversations/channelRegistrations';
import { channelOf } from '../conversations/conversationIds';

export type RouteTarget =
  /** A Teams channel registered for the process (and unit), by its registration key. */
  | { kind: 'channel'; registrationKey: string; conversationId: string; label: string }
  /** People messaged one to one (advisors or process managers), by e-mail. */
  | { kind: 'people'; people: Array<{ name: string; email: string }>; label: string };

/** Where a suggestion went and why (the routing rule that chose it). */
export interface Route {
  target: RouteTarget;
  /** 'local' advisor level, the service centre, or the process managers. */
  level: 'local' | 'service-centre' | 'process-manager';
  /** The unit whose registration or advisors were used (after falling back up the tree). */
  unitCode: string | null;
}

export interface Posting {
  /** The route recipient it was posted for: `channel:<conversation id>` or a person's e-mail. */
  recipient: string;
  conversationId: string;
  activityId: string;
}

/** A recipient of the route the card could not reach, given up on by the outbox (a dead letter). */
export interface UndeliverableRecipient {
  /** As in Posting. */
  recipient: string;
  /** Why, as the delivery reported it (for the coordinators' list of undelivered messages). */
  reason: string;
  /** Why, as the card tells everyone in their language. */
  cause: UndeliverableCause;
  at: string;
}

/** The kinds of reason a card could not reach a route recipient: the bot is not in their chat, no stored channel, Teams refused it, or it kept failing. */
export type UndeliverableCause = 'not-installed' | 'no-channel' | 'refused' | 'failing';

/**
 * Where an improvement suggestion or a question to the advisors goes, by the rules of its process (domain.md):
 * Btb, Prosjektøkonomi and PBO to the channel registered for the process at
 * the submitter's unit or the nearest unit above it, else to the unit's
 * advisors one to one; Lønn to the service centre's channel or advisors; the
 * central processes to the process managers' channel or the process manager.
 */
export async function chooseRoute(draft: { process: string; unit: string }, index: DirectoryIndex, registrations: ChannelRegistrationStore): Promise<Route> {
  const process = index.process(draft.process);
  if (!process) throw new Error(`Unknown process ${draft.process}`);

  if (process.advisorModel === 'local') {
    for (const unit of index.unitChain(draft.unit)) {
      const registration = await registrations.find(process.code, unit.code);
      if (registration) return { target: channelTarget(registration), level: 'local', unitCode: unit.code };
    }
    const resolution = resolveAdvisors(index, process.code, draft.unit);
    if (resolution.kind === 'answer') {
      const level = resolution.answer.reason.kind === 'no-local-advisor' ? 'process-manager' : 'local';
      const unitCode = resolution.answer.reason.kind === 'inherited' ? resolution.answer.reason.from.code : draft.unit;
      return { target: peopleTarget(resolution.answer.people), level, unitCode: level === 'local' ? unitCode : null };
    }
    return routeToProcessManagers(process.code, index, registrations);
  }

  const registration = await registrations.find(process.code, null);
  const level = process.advisorModel === 'service-centre' ? 'service-centre' : 'process-manager';
  if (registration) return { target: channelTarget(registration), level, unitCode: null };
  const resolution = resolveAdvisors(index, process.code, draft.unit);
  if (resolution.kind !== 'answer') throw new Error(`Nobody receives anything for ${process.code}: the directory lists no advisor or process manager`);
  return { target: peopleTarget(resolution.answer.people), level, unitCode: null };
}

/** The process managers' channel for the process, or the process manager one to one (forwarding, and the central processes). */
export async function routeToProcessManagers(processCode: string, index: DirectoryIndex, registrations: ChannelRegistrationStore): Promise<Route> {
  const registration = await registrations.find(processCode, null);
  if (registration) return { target: channelTarget(registration), level: 'process-manager', unitCode: null };
  const resolution = resolveRoleHolders(index, ROLE.processManager, processCode);
  if (resolution.kind !== 'answer') throw new Error(`The directory lists no process manager for ${processCode}`);
  return { target: peopleTarget(resolution.answer.people), level: 'process-manager', unitCode: null };
}

function channelTarget(registration: ChannelRegistration): RouteTarget {
  return {
    kind: 'channel',
    registrationKey: registrationKey(registration.process, registration.unit),
    conversationId: registration.conversationId,
    label: registration.channelName ?? registration.conversationId,
  };
}

function peopleTarget(people: Array<{ name: string; email: string }>): RouteTarget {
  return {
    kind: 'people',
    people: people.map((person) => ({ name: person.name, email: person.email })),
    label: people.map((person) => person.name).join(', '),
  };
}

/** The recipients of a route, as the outbox and postings name them: `channel:<conversation id>`, or each person's e-mail (lower case). */
export function routeRecipients(route: Route): string[] {
  const target = route.target;
  return target.kind === 'channel' ? [`channel:${target.conversationId}`] : target.people.map((person) => person.email.toLowerCase());
}

/**
 * Whether the actor received a routed card: they act from a conversation it was posted to (a channel's thread
 * counts as the channel), or the route names them one to one.
 */
export function receivedRoutedCard(route: Route, postings: readonly Posting[], actor: { email?: string | null }, conversationId: string | null): boolean {
  const email = actor.email?.toLowerCase() ?? null;
  const where = conversationId === null ? null : channelOf(conversationId);
  return (
    (where !== null && postings.some((posting) => channelOf(posting.conversationId) === where)) ||
    (email !== null && route.target.kind === 'people' && route.target.people.some((person) => person.email.toLowerCase() === email))
  );
}

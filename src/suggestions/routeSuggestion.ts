import type { DirectoryIndex } from '../directory/directoryIndex';
import { resolveAdvisors, resolveRoleHolders } from '../directory/resolveContacts';
import { ROLE } from '../directory/model';
import { registrationKey, type ChannelRegistration, type ChannelRegistrationStore } from '../conversations/channelRegistrations';
import type { Route, RouteTarget } from './model';

/**
 * Where a suggestion goes, by the rules of its process (domain.md):
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
  if (resolution.kind !== 'answer') throw new Error(`Nobody receives suggestions for ${process.code}: the directory lists no advisor or process manager`);
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

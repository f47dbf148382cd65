import type { DirectoryIndex } from '../directory/directoryIndex';
import type { ContactPoint, Process, Role, Unit } from '../directory/model';
import { ROLE } from '../directory/model';
import { resolveAdvisors, resolveRoleHolders, type ContactAnswer, type Resolution } from '../directory/resolveContacts';
import { replyLanguage, type ReplyLanguage } from '../language/detectLanguage';
import type { UserProfileStore } from '../profiles/userProfileStore';
import type { SystemCode } from '../understanding/lexicon';
import { MessageInterpreter, type MessageUnderstanding } from '../understanding/understandMessage';

/** Longest message the bot reads; Teams allows far more, but no question is that long. */
export const MAX_MESSAGE_LENGTH = 4000;

/** What the bot answers, as data; the Teams layer turns each into a card. */
export type AssistantReply =
  | { kind: 'contacts'; answer: ContactAnswer; ownUnit: boolean }
  | { kind: 'nobody'; role: Role; process: Process | null }
  /** The question waiting for the unit, when there is one, so the card can show it. */
  | { kind: 'ask-own-unit'; units: Unit[]; question: string | null }
  | { kind: 'unknown-unit'; text: string; suggestions: Unit[]; question: string; purpose: UnitChoicePurpose }
  | { kind: 'ask-process'; question: string; unit: Unit | null; processes: Process[] }
  | { kind: 'own-unit-set'; unit: Unit; answerFollows: boolean }
  | { kind: 'own-unit-shown'; unit: Unit | null; units: Unit[] }
  | { kind: 'role-description'; role: Role; holders: ContactAnswer | null }
  | { kind: 'error-routing'; routes: ErrorRoute[] }
  | { kind: 'help'; greeting: boolean }
  | { kind: 'thanks' }
  | { kind: 'process-overview'; processes: Process[] }
  | { kind: 'not-understood' }
  | { kind: 'too-long'; limit: number };

/** In chat the assistant remembers (the user's unit, a question waiting for it); a look-up only reads. */
type ReplyMode = 'chat' | 'look-up';

/** Whether a chosen unit answers one question or becomes the user's own unit. */
export type UnitChoicePurpose = 'question' | 'own-unit';

export interface ErrorRoute {
  systems: SystemCode[] | 'other';
  contactPoint: ContactPoint;
}

export interface AssistantResult {
  language: ReplyLanguage;
  replies: AssistantReply[];
}

/** Choices the user makes on a card, applied to the question they belong to. */
export interface QuestionOverrides {
  unit?: string;
  process?: string;
}

/** Where errors in each system are reported (domain.md, "Where errors go"), by contact-point code. */
const ERROR_CONTACT_POINTS: Array<{ systems: SystemCode[] | 'other'; contactPoint: string }> = [
  { systems: ['unit4'], contactPoint: 'okavd' },
  { systems: ['sap', 'portal', 'dfoApp', 'dfo'], contactPoint: 'tjenestesenteret' },
  { systems: 'other', contactPoint: 'ntnu-hjelp' },
];

/**
 * Answers directory questions in chat: understands the message, applies the
 * directory's rules, and remembers the user's unit. Knows nothing of Teams.
 */
export class DirectoryAssistant {
  private interpreterValue: MessageInterpreter;

  constructor(
    private index: DirectoryIndex,
    private readonly profiles: UserProfileStore,
  ) {
    this.interpreterValue = new MessageInterpreter(index);
  }

  /** The message understanding of the current directory version, shared with the other chat capabilities. */
  get interpreter(): MessageInterpreter {
    return this.interpreterValue;
  }

  /** Switches to a newly imported directory version. */
  useDirectory(index: DirectoryIndex): void {
    this.index = index;
    this.interpreterValue = new MessageInterpreter(index);
  }

  async handleMessage(userId: string, rawText: string, locale?: string): Promise<AssistantResult> {
    const text = rawText.trim();
    const language = replyLanguage(text, locale);
    if (text.length === 0) return { language, replies: [{ kind: 'help', greeting: false }] };
    if (text.length > MAX_MESSAGE_LENGTH) return { language, replies: [{ kind: 'too-long', limit: MAX_MESSAGE_LENGTH }] };
    return { language, replies: await this.reply(userId, text) };
  }

  /**
   * The same answer as in chat, for a search box (the message extension):
   * nothing is remembered, since a search runs on every keystroke and "jeg
   * jobber på IDI" typed there is not meant to change the user's unit, nor a
   * half-typed question to wait for one.
   */
  async lookUp(userId: string, rawText: string, locale?: string): Promise<AssistantResult> {
    const text = rawText.trim();
    const language = replyLanguage(text, locale);
    if (text.length === 0) return { language, replies: [{ kind: 'help', greeting: false }] };
    if (text.length > MAX_MESSAGE_LENGTH) return { language, replies: [{ kind: 'too-long', limit: MAX_MESSAGE_LENGTH }] };
    return { language, replies: await this.reply(userId, text, {}, 'look-up') };
  }

  /**
   * A unit picked on a card: for one question, or as the user's own unit (then
   * the waiting question is answered). The card carries the language of the
   * conversation it was made in, since a card action's locale is the client's.
   */
  async chooseUnit(userId: string, unitCode: string, purpose: UnitChoicePurpose, question: string | null, language: ReplyLanguage): Promise<AssistantResult> {
    const unit = this.index.unit(unitCode);
    if (!unit) return { language, replies: [{ kind: 'ask-own-unit', units: this.sortedUnits(), question }] };
    if (purpose === 'own-unit') return { language, replies: await this.setOwnUnit(userId, unit, question) };
    return { language, replies: await this.reply(userId, question ?? '', { unit: unit.code }) };
  }

  /** A process picked on a card for the question that lacked one. */
  async chooseProcess(userId: string, processCode: string, question: string, unitCode: string | null, language: ReplyLanguage): Promise<AssistantResult> {
    const overrides: QuestionOverrides = { process: processCode, ...(unitCode ? { unit: unitCode } : {}) };
    return { language, replies: await this.reply(userId, question, overrides) };
  }

  private async reply(userId: string, text: string, overrides: QuestionOverrides = {}, mode: ReplyMode = 'chat'): Promise<AssistantReply[]> {
    const understood = this.interpreter.understand(text);
    if (overrides.unit) {
      understood.units = [overrides.unit];
      understood.unknownUnitText = null;
    }
    if (overrides.process) understood.processes = [overrides.process];

    if (understood.statesOwnUnit && !overrides.unit && mode === 'chat') return this.ownUnitStatement(userId, text, understood);
    if (understood.asksOwnUnit && understood.units.length === 0 && understood.processes.length === 0 && understood.roles.length === 0) {
      const profile = await this.profiles.get(userId);
      const unit = profile?.unitCode ? this.index.unit(profile.unitCode) ?? null : null;
      return [{ kind: 'own-unit-shown', unit, units: this.sortedUnits() }];
    }
    if (understood.reportsError && understood.roles.length === 0) {
      return [{ kind: 'error-routing', routes: this.errorRoutes(understood.systems, understood.processes) }];
    }
    if (understood.asksRoleDescription && understood.roles.length > 0 && understood.units.length === 0) {
      return [this.describeRole(understood)];
    }
    if (understood.asksProcessList && understood.processes.length === 0 && understood.roles.length === 0) {
      return [{ kind: 'process-overview', processes: this.index.directory.processes }];
    }
    if (understood.roles.length > 0 || understood.processes.length > 0) return [await this.contacts(userId, text, understood, mode)];
    const aboutAUnit = understood.units.length > 0 || understood.unitCandidates.length > 0 || understood.mentionsOwnUnit;
    if (understood.units.length > 0 || (understood.asksWho && aboutAUnit)) {
      return [this.askProcess(text, understood)];
    }
    if (understood.greets || understood.asksHelp) return [{ kind: 'help', greeting: understood.greets }];
    if (understood.thanks) return [{ kind: 'thanks' }];
    return [{ kind: 'not-understood' }];
  }

  private async ownUnitStatement(userId: string, text: string, understood: MessageUnderstanding): Promise<AssistantReply[]> {
    const unitCode = understood.units[0];
    const unit = unitCode ? this.index.unit(unitCode) : undefined;
    if (!unit) {
      if (understood.unknownUnitText) return [this.unknownUnit(text, understood, 'own-unit')];
      return [{ kind: 'ask-own-unit', units: this.sortedUnits(), question: null }];
    }
    // "Jeg er på IHA, hvem spør jeg om salgsordre?" states the unit and asks in one breath.
    const alsoAsks = understood.processes.length > 0 || (understood.roles.length > 0 && understood.asksWho);
    return this.setOwnUnit(userId, unit, alsoAsks ? text : null);
  }

  private async setOwnUnit(userId: string, unit: Unit, question: string | null): Promise<AssistantReply[]> {
    // A question asked together with the unit wins over one left waiting earlier; only then is the profile read.
    const waiting = question ?? (await this.profiles.get(userId))?.pendingQuestion ?? null;
    await this.profiles.setUnit(userId, unit.code);
    const understood = waiting ? this.interpreter.understand(waiting) : null;
    if (!waiting || !understood || (understood.roles.length === 0 && understood.processes.length === 0)) {
      return [{ kind: 'own-unit-set', unit, answerFollows: false }];
    }
    understood.units = [unit.code];
    understood.unknownUnitText = null;
    return [{ kind: 'own-unit-set', unit, answerFollows: true }, await this.contacts(userId, waiting, understood)];
  }

  private async contacts(userId: string, text: string, understood: MessageUnderstanding, mode: ReplyMode = 'chat'): Promise<AssistantReply> {
    const roleCode = understood.roles.find((role) => role !== ROLE.processAdvisor) ?? null;
    const processCode = understood.processes[0] ?? null;

    if (roleCode) return this.fromResolution(resolveRoleHolders(this.index, roleCode, processCode), text, understood, false);
    if (!processCode) return this.askProcess(text, understood);

    const process = this.index.process(processCode);
    if (process && process.advisorModel !== 'local') {
      return this.fromResolution(resolveAdvisors(this.index, processCode, understood.units[0] ?? null), text, understood, false);
    }
    if (understood.units.length > 1) return this.unknownUnit(text, { ...understood, unitCandidates: understood.units }, 'question');
    if (understood.units[0]) return this.fromResolution(resolveAdvisors(this.index, processCode, understood.units[0]), text, understood, false);
    // Never a guess: a unit that was named but not recognised is asked about, not replaced by the user's own.
    if (understood.unknownUnitText) return this.unknownUnit(text, understood, 'question');

    const profile = await this.profiles.get(userId);
    const ownUnit = profile?.unitCode && this.index.unit(profile.unitCode) ? profile.unitCode : null;
    if (!ownUnit) {
      if (mode === 'chat') await this.profiles.setPendingQuestion(userId, text);
      return { kind: 'ask-own-unit', units: this.sortedUnits(), question: text };
    }
    return this.fromResolution(resolveAdvisors(this.index, processCode, ownUnit), text, understood, true);
  }

  private fromResolution(resolution: Resolution, text: string, understood: MessageUnderstanding, ownUnit: boolean): AssistantReply {
    switch (resolution.kind) {
      case 'answer':
        return { kind: 'contacts', answer: resolution.answer, ownUnit };
      case 'nobody':
        return { kind: 'nobody', role: resolution.role, process: resolution.process };
      case 'needs-process':
        return this.askProcess(text, understood);
      case 'needs-unit':
        return { kind: 'ask-own-unit', units: this.sortedUnits(), question: text };
    }
  }

  private askProcess(text: string, understood: MessageUnderstanding): AssistantReply {
    const unit = understood.units[0] ? this.index.unit(understood.units[0]) ?? null : null;
    return { kind: 'ask-process', question: text, unit, processes: this.index.directory.processes };
  }

  private unknownUnit(text: string, understood: MessageUnderstanding, purpose: UnitChoicePurpose): AssistantReply {
    const suggestions = understood.unitCandidates.map((code) => this.index.unit(code)).filter((unit): unit is Unit => unit !== undefined);
    return { kind: 'unknown-unit', text: understood.unknownUnitText ?? text, suggestions: suggestions.slice(0, 5), question: text, purpose };
  }

  private describeRole(understood: MessageUnderstanding): AssistantReply {
    const roleCode = understood.roles[0] as string;
    const role = this.index.role(roleCode) as Role;
    // The description names the holders too when there is one obvious answer.
    const resolution =
      roleCode === ROLE.processAdvisor
        ? null
        : resolveRoleHolders(this.index, roleCode, understood.processes[0] ?? null);
    return { kind: 'role-description', role, holders: resolution?.kind === 'answer' ? resolution.answer : null };
  }

  /** Routes for the systems named; without one, the process tells (payroll runs in DFØ's systems, finance in Unit4). */
  private errorRoutes(named: SystemCode[], processes: string[]): ErrorRoute[] {
    let systems = named;
    if (systems.length === 0 && processes.length > 0) {
      systems = processes.map((code) => (this.index.process(code)?.advisorModel === 'service-centre' ? 'sap' : 'unit4'));
    }
    const routes: ErrorRoute[] = [];
    for (const route of ERROR_CONTACT_POINTS) {
      const contactPoint = this.index.directory.contactPoints.find((point) => point.code === route.contactPoint);
      if (!contactPoint) continue;
      const relevant = systems.length === 0 || (route.systems !== 'other' && route.systems.some((system) => systems.includes(system)));
      if (relevant) routes.push({ systems: route.systems, contactPoint });
    }
    return routes;
  }

  private sortedUnits(): Unit[] {
    return [...this.index.directory.units].sort((a, b) => a.code.localeCompare(b.code, 'nb'));
  }
}

import type { ProcessRole } from '../announcements/model';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { ContactPoint, Process, Role, Unit } from '../directory/model';
import { ROLE } from '../directory/model';
import { resolveAdvisors, resolveRoleHolders, type ContactAnswer, type Resolution } from '../directory/resolveContacts';
import type { ReplyLanguage } from '../language/detectLanguage';
import type { UserProfileStore } from '../profiles/userProfileStore';
import { tokenize } from '../language/text';
import { COMMON_WORDS } from '../language/vocabulary';
import { GENERIC_UNIT_WORDS, PROCESS_OF_ROLE, type SystemCode } from '../understanding/lexicon';
import { MAX_MESSAGE_LENGTH, type MessageReading, type OutOfScopeTopic } from '../understanding/readMessage';
import { Understander } from '../understanding/understandTurn';
import { directoryRequest, type DirectoryRequest } from './directoryRequest';

export { MAX_MESSAGE_LENGTH };

/** What the bot answers, as data; the Teams layer turns each into a card. */
export type AssistantReply =
  /** carriedOver: what the question left out and was taken from the one before ("og for PBO?" keeps the unit). */
  | { kind: 'contacts'; answer: ContactAnswer; ownUnit: boolean; carriedOver: CarriedOver | null }
  | { kind: 'nobody'; role: Role; process: Process | null }
  /** The question waiting for the unit, when there is one, so the card can show it. */
  | { kind: 'ask-own-unit'; units: Unit[]; question: string | null }
  | { kind: 'unknown-unit'; text: string; suggestions: Unit[]; question: string; purpose: UnitChoicePurpose }
  | { kind: 'ask-process'; question: string; unit: Unit | null; processes: Process[] }
  | { kind: 'own-unit-set'; unit: Unit; answerFollows: boolean }
  | { kind: 'own-unit-shown'; unit: Unit | null; units: Unit[] }
  | { kind: 'role-description'; role: Role; holders: ContactAnswer | null }
  /** What processes cover ("hva er Btb?", "hvilken prosess hører reiseregning til?"); names no one. */
  /** `processRole`: the process role asked about when no process was named ("hva er en kostnadsgodkjenner?"). */
  | { kind: 'process-explanation'; processes: Process[]; processRole: ProcessRole | null }
  /** What the bot cannot answer, and where to go instead. */
  | { kind: 'cannot-answer'; topic: OutOfScopeTopic; contactPoints: ContactPoint[] }
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
  /** The question this turn was about, to keep for the next turn; null when the turn asked none. */
  question: QuestionSlots | null;
}

/** What a directory question is about: the process, the role (null: the process advisor) and the unit. */
export interface QuestionSlots {
  process: string | null;
  role: string | null;
  unit: string | null;
}

/** The parts of a question taken from the one before, and the unit they were about then. */
export interface CarriedOver {
  process: boolean;
  unit: boolean;
  /** "på fakultetet": the faculty above the previous question's unit. */
  upToFaculty: boolean;
}

/** Choices the user makes on a card, applied to the question they belong to. */
export interface QuestionOverrides {
  unit?: string;
  process?: string;
}

/** Where to go with what the bot cannot answer, by contact-point code (domain.md: pay and DFØ's systems at Tjenestesenteret). */
const OUT_OF_SCOPE_CONTACT_POINTS: Record<OutOfScopeTopic, string[]> = {
  'own-money': ['tjenestesenteret'],
  ordering: ['ntnu-hjelp'],
  weather: [],
  everyday: [],
};

/** Processes one explanation describes at most: "Is a travel claim payroll or purchase to pay?" names two. */
const MAX_EXPLAINED = 3;

/** Where errors in each system are reported (domain.md, "Where errors go"), by contact-point code. */
const ERROR_CONTACT_POINTS: Array<{ systems: SystemCode[] | 'other'; contactPoint: string }> = [
  { systems: ['unit4'], contactPoint: 'okavd' },
  { systems: ['sap', 'portal', 'dfoApp', 'dfo'], contactPoint: 'tjenestesenteret' },
  { systems: 'other', contactPoint: 'ntnu-hjelp' },
];

/** One chat turn's question for the directory: what the message said and asks, and the question before it. */
export interface DirectoryTurn {
  userId: string;
  reading: MessageReading;
  request: DirectoryRequest;
  language: ReplyLanguage;
  /**
   * The previous question of the conversation, while it is fresh (see ConversationContextStore). Asked for only
   * when the answer depends on it: a question that names all it needs is answered without reading the conversation.
   */
  previous: PreviousQuestion;
}

/** Reads the previous question when first asked (the caller keeps the answer for the turn); never rejects (none when it cannot be read). */
export type PreviousQuestion = () => Promise<QuestionSlots | null>;

/** For turns that follow nothing: a search, a question kept on a card. */
const NO_PREVIOUS: PreviousQuestion = () => Promise.resolve(null);

/**
 * Answers directory questions in chat: applies the directory's rules to what
 * a message was understood to ask, completes a follow-up from the question
 * before it, and remembers the user's unit. Knows nothing of Teams.
 */
export class DirectoryAssistant {
  constructor(
    private index: DirectoryIndex,
    private readonly profiles: UserProfileStore,
  ) {}

  /** The understanding of the current directory version, shared with the other chat capabilities. */
  get understander(): Understander {
    return Understander.for(this.index);
  }

  /** Switches to a newly imported directory version. */
  useDirectory(index: DirectoryIndex): void {
    this.index = index;
  }

  async answer(turn: DirectoryTurn): Promise<AssistantResult> {
    const { replies, question } = await this.reply(turn, 'chat');
    return { language: turn.language, replies, question };
  }

  /** The reply to a message too long to read. */
  tooLong(language: ReplyLanguage): AssistantResult {
    return { language, replies: [{ kind: 'too-long', limit: MAX_MESSAGE_LENGTH }], question: null };
  }

  /**
   * The same answer as in chat, for a search box (the message extension):
   * nothing is remembered, since a search runs on every keystroke and "jeg
   * jobber på IDI" typed there is not meant to change the user's unit, nor a
   * half-typed question to wait for one.
   */
  async lookUp(userId: string, reading: MessageReading, language: ReplyLanguage): Promise<AssistantResult> {
    if (reading.text.length === 0) return { language, replies: [{ kind: 'help', greeting: false }], question: null };
    // A search states nothing: "jobber på IDI" typed there is looked up, not saved.
    const understood = directoryRequest(reading);
    const request: DirectoryRequest = understood.kind === 'state-own-unit' ? { kind: 'ask' } : understood;
    const { replies, question } = await this.reply({ userId, reading, request, previous: NO_PREVIOUS }, 'look-up');
    return { language, replies, question };
  }

  /**
   * A unit picked on a card: for one question, or as the user's own unit (then
   * the waiting question is answered). The card carries the language of the
   * conversation it was made in, since a card action's locale is the client's.
   */
  async chooseUnit(userId: string, unitCode: string, purpose: UnitChoicePurpose, question: string | null, language: ReplyLanguage): Promise<AssistantResult> {
    const unit = this.index.unit(unitCode);
    if (!unit) return { language, replies: [{ kind: 'ask-own-unit', units: this.sortedUnits(), question }], question: null };
    if (purpose === 'own-unit') return { language, ...(await this.setOwnUnit(userId, unit, question)) };
    return { language, ...(await this.askWith(userId, question ?? '', { unit: unit.code })) };
  }

  /** A process picked on a card for the question that lacked one. */
  async chooseProcess(userId: string, processCode: string, question: string, unitCode: string | null, language: ReplyLanguage): Promise<AssistantResult> {
    return { language, ...(await this.askWith(userId, question, { process: processCode, ...(unitCode ? { unit: unitCode } : {}) })) };
  }

  /** A question kept on a card, answered with what the user chose there. */
  private askWith(userId: string, question: string, overrides: QuestionOverrides): Promise<Answered> {
    const reading = { ...this.understander.read(question) };
    if (overrides.unit) Object.assign(reading, { units: [overrides.unit], unitCandidates: [], unknownUnitText: null });
    if (overrides.process) reading.processes = [overrides.process];
    return this.ask({ userId, reading, request: { kind: 'ask' }, previous: NO_PREVIOUS }, 'chat');
  }

  private async reply(turn: QuestionTurn, mode: ReplyMode): Promise<Answered> {
    const { reading, request } = turn;
    const none = (...replies: AssistantReply[]): Answered => ({ replies, question: null });
    switch (request.kind) {
      case 'state-own-unit':
        return mode === 'chat' ? this.ownUnitStatement(turn, request.alsoAsks) : this.ask(turn, mode);
      case 'show-own-unit': {
        const profile = await this.profiles.get(turn.userId);
        const unit = profile?.unitCode ? (this.index.unit(profile.unitCode) ?? null) : null;
        return none({ kind: 'own-unit-shown', unit, units: this.sortedUnits() });
      }
      case 'out-of-scope':
        return none({ kind: 'cannot-answer', topic: request.topic, contactPoints: this.contactPoints(OUT_OF_SCOPE_CONTACT_POINTS[request.topic]) });
      case 'report-error':
        return none({ kind: 'error-routing', routes: this.errorRoutes(reading.systems, reading.processes) });
      case 'explain':
        return this.explain(reading, turn.previous);
      case 'process-list':
        return none({ kind: 'process-overview', processes: this.index.directory.processes });
      case 'ask':
        return this.ask(turn, mode);
      case 'help':
        return none({ kind: 'help', greeting: request.greeting });
      case 'thanks':
        return none({ kind: 'thanks' });
      case 'not-understood':
        return none({ kind: 'not-understood' });
    }
  }

  private async ownUnitStatement(turn: QuestionTurn, alsoAsks: boolean): Promise<Answered> {
    const { reading } = turn;
    const unitCode = reading.units[0];
    const unit = unitCode ? this.index.unit(unitCode) : undefined;
    if (!unit) {
      if (reading.unknownUnitText || reading.unitCandidates.length > 0) return { replies: [this.unknownUnit(reading, 'own-unit')], question: null };
      return { replies: [{ kind: 'ask-own-unit', units: this.sortedUnits(), question: null }], question: null };
    }
    // "Jeg sitter på IMF; hvem hjelper meg med budsjett?" states the unit and asks in one breath.
    return this.setOwnUnit(turn.userId, unit, alsoAsks ? reading.text : null, turn.previous);
  }

  private async setOwnUnit(userId: string, unit: Unit, question: string | null, previous: PreviousQuestion = NO_PREVIOUS): Promise<Answered> {
    // Read while the profile is: unless a question waits there, the question before is kept with the new unit.
    const readingBefore = question === null ? previous() : null;
    // A question asked together with the unit wins over one left waiting earlier; only then is the profile read.
    const waiting = question ?? (await this.profiles.get(userId))?.pendingQuestion ?? null;
    await this.profiles.setUnit(userId, unit.code);
    const reading = waiting ? this.understander.read(waiting) : null;
    if (!waiting || !reading || (reading.roles.length === 0 && reading.processes.length === 0)) {
      const before = await (readingBefore ?? previous());
      const kept: QuestionSlots = { process: before?.process ?? null, role: before?.role ?? null, unit: unit.code };
      return { replies: [{ kind: 'own-unit-set', unit, answerFollows: false }], question: kept };
    }
    const answered = await this.ask(
      { userId, reading: { ...reading, units: [unit.code], unitCandidates: [], unknownUnitText: null }, request: { kind: 'ask' }, previous: NO_PREVIOUS },
      'chat',
    );
    return { replies: [{ kind: 'own-unit-set', unit, answerFollows: true }, ...answered.replies], question: answered.question };
  }

  /**
   * Who advises on a process or holds a role, at a unit. What the message
   * leaves out comes from the question before it ("og for PBO?", "samme for
   * fysikk", "og på fakultetet?"), else the user's own unit; a unit named but
   * not recognised is asked about, never guessed.
   */
  private async ask(turn: QuestionTurn, mode: ReplyMode): Promise<Answered> {
    const { reading, previous, userId } = turn;
    const text = reading.text;
    const carried: CarriedOver = { process: false, unit: false, upToFaculty: false };

    // A bare unit in reply to "which unit do you work at?" is the user's unit, and answers the waiting question.
    if (reading.onlyUnit && mode === 'chat') {
      const unit = this.index.unit(reading.units[0] as string);
      const pending = (await this.profiles.get(userId))?.pendingQuestion;
      if (unit && pending) return this.setOwnUnit(userId, unit, pending, previous);
    }

    let role = reading.roles.find((code) => code !== ROLE.processAdvisor) ?? null;
    let process = reading.processes[0] ?? null;
    if (!process && !role && reading.processRoles[0]) process = PROCESS_OF_ROLE[reading.processRoles[0]];
    const before = process ? null : await previous();
    if (!process && !role && before && (before.process || before.role)) {
      process = before.process;
      role = before.role;
      carried.process = true;
    } else if (!process && role && before?.process && this.heldPerProcess(role)) {
      process = before.process;
      carried.process = true;
    }

    const unitChoice = await this.unitFor(turn, role === null ? process : undefined, carried);
    // Kept without a unit, so that the unit written back ("IHA") answers it.
    if (unitChoice.kind === 'ask') return { replies: [unitChoice.reply], question: { process, role, unit: null } };
    const unitCode = unitChoice.kind === 'unit' ? unitChoice.code : null;
    const question: QuestionSlots = { process, role, unit: unitCode };
    const carriedOver = carried.process || carried.unit ? carried : null;

    if (role) return { replies: [this.fromResolution(resolveRoleHolders(this.index, role, process), text, reading, false, carriedOver)], question };
    if (!process) return { replies: [this.askProcess(text, unitCode)], question };

    const model = this.index.process(process)?.advisorModel;
    if (model !== 'local') {
      return { replies: [this.fromResolution(resolveAdvisors(this.index, process, unitCode), text, reading, false, carriedOver)], question };
    }
    if (unitChoice.kind === 'unit') {
      return { replies: [this.fromResolution(resolveAdvisors(this.index, process, unitChoice.code), text, reading, unitChoice.own, carriedOver)], question };
    }
    if (mode === 'chat') await this.profiles.setPendingQuestion(userId, text);
    return { replies: [{ kind: 'ask-own-unit', units: this.sortedUnits(), question: text }], question };
  }

  /**
   * The unit a question is about: the one named; several or an unclear one
   * are asked about; "på fakultetet" goes up from the previous unit; "hos
   * oss" is the user's own; otherwise the previous question's, then the
   * user's own. Only a local process needs one.
   */
  private async unitFor(
    turn: QuestionTurn,
    /** The advisor's process (null: not known yet); undefined for another role, which needs no unit. */
    process: string | null | undefined,
    carried: CarriedOver,
  ): Promise<{ kind: 'unit'; code: string; own: boolean } | { kind: 'none' } | { kind: 'ask'; reply: AssistantReply }> {
    const { reading, previous } = turn;
    const needsUnit = process === null || (process !== undefined && this.index.process(process)?.advisorModel === 'local');
    if (reading.units.length > 1 && needsUnit) {
      return { kind: 'ask', reply: this.unknownUnit({ ...reading, unitCandidates: reading.units }, 'question') };
    }
    if (reading.units[0]) return { kind: 'unit', code: reading.units[0], own: false };
    // Past here the answer may depend on the question before.
    const dependsOnBefore = reading.unitCandidates.length > 0 || (!reading.unknownUnitText && (reading.asksFacultyLevel || !reading.mentionsOwnUnit));
    const before = dependsOnBefore ? await previous() : null;
    // "samme for Gjøvik" after a question about Helsevitenskap i Ålesund: the one candidate that is its namesake.
    const namesake = before?.unit ? this.namesakeOf(before.unit, reading.unitCandidates) : null;
    if (namesake) return { kind: 'unit', code: namesake, own: false };
    // Never a guess: a unit that was named but not recognised is asked about, not replaced by another.
    if (reading.unknownUnitText || reading.unitCandidates.length > 0) {
      return needsUnit ? { kind: 'ask', reply: this.unknownUnit(reading, 'question') } : { kind: 'none' };
    }
    if (reading.asksFacultyLevel && before?.unit) {
      const faculty = this.index.unitChain(before.unit).find((unit) => unit.kind === 'faculty');
      if (faculty) {
        carried.unit = true;
        carried.upToFaculty = faculty.code !== before.unit;
        return { kind: 'unit', code: faculty.code, own: false };
      }
    }
    if (!reading.mentionsOwnUnit && before?.unit && this.index.unit(before.unit)) {
      // Kept for the next follow-up either way; said on the card only when the answer depends on it.
      carried.unit = needsUnit;
      return { kind: 'unit', code: before.unit, own: false };
    }
    if (!needsUnit && !reading.mentionsOwnUnit) return { kind: 'none' };
    const profile = await this.profiles.get(turn.userId);
    const own = profile?.unitCode && this.index.unit(profile.unitCode) ? profile.unitCode : null;
    return own ? { kind: 'unit', code: own, own: true } : { kind: 'none' };
  }

  /** Of the candidates, the one unit whose name shares the most words with the given unit's, if one does. */
  private namesakeOf(unitCode: string, candidates: readonly string[]): string | null {
    const unit = this.index.unit(unitCode);
    if (!unit || candidates.length === 0) return null;
    const nameWords = (code: string) => {
      const candidate = this.index.unit(code);
      const words = candidate ? tokenize(`${candidate.nameNb} ${candidate.nameEn}`) : [];
      return new Set(words.filter((word) => word.length >= 4 && !GENERIC_UNIT_WORDS.has(word) && !COMMON_WORDS.has(word)));
    };
    const own = nameWords(unitCode);
    const shared = candidates.filter((code) => code !== unitCode).map((code) => ({ code, count: [...nameWords(code)].filter((word) => own.has(word)).length }));
    const best = Math.max(0, ...shared.map((entry) => entry.count));
    const top = shared.filter((entry) => entry.count === best);
    return best > 0 && top.length === 1 ? (top[0]?.code ?? null) : null;
  }

  /** Whether a role is held per process (the process manager), so a follow-up keeps the process. */
  private heldPerProcess(role: string): boolean {
    return this.index.holdersOfRole(role).some((person) => person.process !== null);
  }

  private async explain(reading: MessageReading, previous: PreviousQuestion): Promise<Answered> {
    const roles = reading.roles.map((code) => this.index.role(code)).filter((role): role is Role => role !== undefined);
    if (reading.processes.length === 0 && roles[0]) {
      return { replies: [{ kind: 'role-description', role: roles[0], holders: null }], question: await previous() };
    }
    const codes = reading.processes.length > 0 ? reading.processes : reading.processRoles.map((role) => PROCESS_OF_ROLE[role]);
    const processes = [...new Set(codes)]
      .map((code) => this.index.process(code))
      .filter((process): process is Process => process !== undefined)
      .slice(0, MAX_EXPLAINED);
    const first = processes[0];
    // The process explained becomes the subject of the conversation: "og hvem er rådgiveren for den ved IE?".
    const before = await previous();
    const question = first ? { process: first.code, role: null, unit: before?.unit ?? null } : before;
    const processRole = reading.processes.length === 0 ? (reading.processRoles[0] ?? null) : null;
    return { replies: [{ kind: 'process-explanation', processes, processRole: first ? processRole : null }], question };
  }

  private fromResolution(resolution: Resolution, text: string, reading: MessageReading, ownUnit: boolean, carriedOver: CarriedOver | null): AssistantReply {
    switch (resolution.kind) {
      case 'answer':
        return { kind: 'contacts', answer: resolution.answer, ownUnit, carriedOver };
      case 'nobody':
        return { kind: 'nobody', role: resolution.role, process: resolution.process };
      case 'needs-process':
        return this.askProcess(text, reading.units[0] ?? null);
      case 'needs-unit':
        return { kind: 'ask-own-unit', units: this.sortedUnits(), question: text };
    }
  }

  private askProcess(text: string, unitCode: string | null): AssistantReply {
    const unit = unitCode ? (this.index.unit(unitCode) ?? null) : null;
    return { kind: 'ask-process', question: text, unit, processes: this.index.directory.processes };
  }

  private unknownUnit(reading: MessageReading, purpose: UnitChoicePurpose): AssistantReply {
    const suggestions = reading.unitCandidates.map((code) => this.index.unit(code)).filter((unit): unit is Unit => unit !== undefined);
    return { kind: 'unknown-unit', text: reading.unknownUnitText ?? reading.text, suggestions: suggestions.slice(0, 5), question: reading.text, purpose };
  }

  private contactPoints(codes: readonly string[]): ContactPoint[] {
    return codes.map((code) => this.index.directory.contactPoints.find((point) => point.code === code)).filter((point): point is ContactPoint => point !== undefined);
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

/** The replies do not depend on the language; it travels beside them to the cards. */
type QuestionTurn = Omit<DirectoryTurn, 'language'>;

interface Answered {
  replies: AssistantReply[];
  question: QuestionSlots | null;
}

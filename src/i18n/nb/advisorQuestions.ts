import type { QuestionAction, QuestionState } from '../../advisorQuestions/model';
import type { QuestionField, QuestionProblem } from '../../advisorQuestions/validateQuestion';
import type { UndeliverableCause } from '../../routing/processRoutes';

/** Bokmål texts of the questions to the process advisors ("Spør prosessrådgiveren"). */
export const advisorQuestionsNb = {
  askButton: 'Spør prosessrådgiveren',
  /** "Dette er besvart før": a colleague's shared answer to the same question. */
  shared: {
    title: (question: string): string => `Dette er besvart før: «${question}»`,
    /** A standing answer a coordinator curated ("Fast svar"). */
    standingTitle: (question: string): string => `Fast svar: «${question}»`,
    answeredBy: (who: string, date: string): string => `Svart av ${who}, ${date}`,
    hint: 'Svaret ble delt av kollegaen som spurte. Passer det ikke for deg, kan du spørre prosessrådgiveren selv.',
    /** The preview of a message extension result. */
    preview: 'Besvart før',
  },
  form: {
    title: 'Spør prosessrådgiveren',
    intro: 'Spørsmålet går til dem som gir råd om prosessen ved enheten din, etter prosessens regler. Svaret kommer her i chatten.',
    fixProblems: 'Noe mangler eller må rettes. Se merknadene under feltene; alt du skrev er tatt vare på.',
    labels: {
      process: 'Prosess',
      unit: 'Enhet',
      text: 'Spørsmålet ditt',
      shareable: 'Svaret kan deles med kolleger som lurer på det samme',
    } satisfies Record<QuestionField, string>,
    placeholders: { text: 'Hva lurer du på?', unit: 'Søk etter enhet' },
    submit: 'Send spørsmålet',
    problems: {
      required: 'Må fylles ut.',
      'too-long': 'For lang tekst.',
      'unknown-process': 'Velg en prosess fra listen.',
      'unknown-unit': 'Velg en enhet fra listen.',
    } satisfies Record<QuestionProblem, string>,
    tooLong: (limit: number): string => `For lang tekst: maks ${limit} tegn.`,
  },
  states: {
    submitted: 'Ny',
    taken: 'Under behandling',
    answered: 'Besvart',
    forwarded: 'Sendt til prosessansvarlig',
    converted: 'Gjort om til forbedringsforslag',
    withdrawn: 'Trukket',
  } satisfies Record<QuestionState, string>,
  actions: {
    take: 'Ta saken',
    answer: 'Send svar',
    forward: 'Send til prosessansvarlig',
    convert: 'Gjør om til forbedringsforslag',
    withdraw: 'Trekk spørsmålet',
  } satisfies Record<QuestionAction, string>,
  historyVerbs: {
    submitted: 'stilte spørsmålet',
    take: 'tok saken',
    answer: 'svarte',
    forward: 'sendte spørsmålet til prosessansvarlig',
    convert: 'gjorde spørsmålet om til et forbedringsforslag',
    withdraw: 'trakk spørsmålet',
  } satisfies Record<QuestionAction | 'submitted', string>,
  confirmation: {
    title: (id: string): string => `Takk! Spørsmålet er registrert som ${id}.`,
    sentToChannel: (label: string): string => `Det er sendt til kanalen «${label}».`,
    sentToPeople: (names: string): string => `Det er sendt til ${names}.`,
    awaitingDelivery: (names: string): string => `Det skal til ${names}, men er ikke levert ennå (boten er ikke installert der). Vi prøver igjen automatisk til det lykkes.`,
    next: 'Svaret kommer her i chatten. Skriv «mine spørsmål» for å se alle spørsmålene dine.',
    duplicate: 'Dette spørsmålet var allerede registrert; det er ikke sendt på nytt.',
  },
  card: {
    idAndState: (id: string, state: string): string => `${id} · ${state}`,
    title: 'Spørsmål til prosessrådgiverne',
    facts: { process: 'Prosess', unit: 'Enhet', asker: 'Spurt av', assignee: 'Saksbehandler', shareable: 'Svaret kan deles', route: 'Sendt til' },
    yes: 'Ja',
    no: 'Nei',
    question: 'Spørsmål',
    answer: (who: string, at: string): string => `Svar fra ${who} (${at})`,
    suggestion: (id: string): string => `Gjort om til forbedringsforslag ${id}.`,
    history: 'Historikk',
    historyLine: (at: string, who: string, verb: string): string => `${at}: ${who} ${verb}`,
    comment: 'Svar (eller kommentar til forbedringsforslaget)',
    awaitingDelivery: 'Venter på levering',
    undeliverable: (recipient: string, cause: string): string => `Kunne ikke leveres til ${recipient}: ${cause}`,
    undeliverableCauses: {
      'not-installed': 'appen er ikke installert hos mottakeren.',
      'no-channel': 'kanalen er ikke lenger kjent for appen.',
      refused: 'Teams avviste meldingen (appen er kanskje fjernet fra kanalen eller chatten).',
      failing: 'leveringen mislyktes gjentatte ganger. Forvaltningskoordinatorene ser årsaken under «vis uleverte meldinger».',
    } satisfies Record<UndeliverableCause, string>,
  },
  /** Prefills the improvement suggestion a question becomes. */
  suggestion: {
    description: (id: string, question: string): string => `Fra spørsmålet ${id} til prosessrådgiverne: ${question}`,
    potential: 'Se spørsmålet: flere lurer på det samme, og svaret bør bli en del av prosessen.',
  },
  refusals: {
    outsider: 'Bare mottakerne av spørsmålet, saksbehandleren, prosessansvarlig og forvaltningskoordinator kan behandle det.',
    'wrong-state': 'Det går ikke an fra spørsmålets nåværende status.',
    'not-for-process': 'Det steget finnes ikke for denne prosessen: spørsmålet er allerede hos prosessansvarlig.',
    answerRequired: 'Skriv svaret i tekstfeltet før du trykker «Send svar».',
    conflict: (who: string, verb: string): string => `Noen kom deg i forkjøpet: ${who} ${verb}. Kortet viser nå gjeldende status.`,
    ownEarlierChange: (verb: string): string => `Dette er allerede gjort: du ${verb}. Kortet viser nå gjeldende status.`,
    notFound: 'Fant ikke spørsmålet.',
    onlyOwn: 'Du kan se dine egne spørsmål og spørsmål du behandler.',
  },
  reminder: {
    waited: (id: string, workingDays: number, since: string): string =>
      `Påminnelse: spørsmålet ${id} har ventet på svar i ${workingDays === 1 ? '1 virkedag' : `${workingDays} virkedager`} (siden ${since}).`,
    toAssignee: 'Du har tatt spørsmålet. Svar spørsmålsstilleren, send det videre til prosessansvarlig eller gjør det om til et forbedringsforslag.',
    toRoute: 'Ta spørsmålet og svar spørsmålsstilleren, send det videre til prosessansvarlig eller gjør det om til et forbedringsforslag.',
  },
  notification: {
    title: (id: string, state: string): string => `${id} er nå: ${state}`,
    by: (who: string, verb: string): string => `${who} ${verb}.`,
    answer: (answer: string): string => `Svar: «${answer}»`,
    comment: (comment: string): string => `Kommentar: «${comment}»`,
    suggestion: (id: string): string => `Forbedringsforslaget har nummer ${id}; prosessteamet behandler det videre.`,
  },
  lists: {
    mineTitle: 'Spørsmålene dine',
    mineEmpty: 'Du har ikke stilt prosessrådgiverne noen spørsmål ennå. Trykk «Spør prosessrådgiveren» under et svar fra meg for å stille ett.',
    line: (id: string, question: string, state: string): string => `**${id}** ${question} – ${state}`,
  },
};

export type AdvisorQuestionTexts = typeof advisorQuestionsNb;

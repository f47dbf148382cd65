import type { ChatTexts } from '../nb/chat';

/** English texts of the chat. */
export const chatEn: ChatTexts = {
  appName: 'Økonomi og lønn',
  contacts: {
    title: (role, process, unit) => [role, process ? `for ${process}` : null, unit ? `at ${unit}` : null].filter(Boolean).join(' '),
    reasonOwnUnit: (unit, process) => `${unit} has its own process advisor for ${process}.`,
    reasonInherited: (unit, from, process) => `${unit} has no process advisor of its own for ${process}, so the advisor at ${from} helps you.`,
    reasonNoLocalAdvisor: (unit, process) => `Neither ${unit} nor the units above it have a process advisor for ${process}, so the process manager answers.`,
    reasonServiceCentre: (process) => `All process advisors for ${process} work in the Service Centre (Tjenestesenteret), wherever you work.`,
    reasonCentral: (process) => `${process} has no local process advisors. Questions and suggestions go straight to the process manager in the Joint Administration.`,
    reasonRole: (role) => `This is the ${role.toLowerCase()} listed in the directory.`,
    subject: (subject, unit) => (unit ? `${subject} at ${unit}` : subject),
    carriedOver: (subject, upToFaculty) => (upToFaculty ? `${subject} — the faculty above the unit in your previous question.` : `${subject} — as in your previous question.`),
    ownUnitNote: (unit) => `This answer is for the unit you are registered at: ${unit}.`,
    forProcesses: (processes) => `For: ${processes}`,
    more: (count) => `… and ${count} more. Try asking more precisely, for example with a unit.`,
    chat: 'Chat',
    email: 'Send e-mail',
    suggest: 'Suggest an improvement',
    textLine: (title, people) => `${title}: ${people}`,
  },
  nobody: (role, process) =>
    process
      ? `The directory has no ${role.toLowerCase()} for ${process} yet. Ask the management coordinator, or try NTNU Hjelp.`
      : `The directory has no ${role.toLowerCase()} yet. Ask the management coordinator, or try NTNU Hjelp.`,
  askOwnUnit: {
    title: 'Which unit do you work at?',
    body: 'The answer depends on your unit. Pick it here, or write for example "I work at IDI". I will remember it for next time.',
    placeholder: 'Pick from the list, or type the code',
    save: 'Save my unit',
    missing: 'Please pick a unit first.',
    label: 'Unit',
    waitingQuestion: (question) => `Then I will answer your question: "${question}"`,
  },
  unitSearch: {
    label: 'Search for a unit (code or name)',
    placeholder: 'For example physics or IFY',
    button: 'Search',
    found: (count, text) => `${count} ${count === 1 ? 'unit matches' : 'units match'} "${text}".`,
    none: (text) => `No unit matches "${text}" – try its code or part of its name.`,
    empty: 'Type the code or part of the name in the search field, and press Search.',
  },
  unknownUnit: {
    title: (text) => `I can't find a unit called "${text}".`,
    suggestions: 'Did you mean one of these?',
    noSuggestions: 'Pick the unit from the list, or write its code (for example IDI).',
    choose: 'Choose',
  },
  askProcess: {
    title: 'Which process is it about?',
    body: (unit) => (unit ? `I can find the right person at ${unit} once I know which process you mean.` : 'Pick the process and I will find the right person.'),
  },
  ownUnitSaved: 'Unit saved',
  answerFollows: 'Here is the answer to your question:',
  ownUnitSet: (unit) => `Noted: you work at ${unit}. You can change it any time by writing "I work at …".`,
  ownUnitShown: (unit) => `You are registered at ${unit}.`,
  ownUnitUnknown: "I don't know which unit you work at yet.",
  changeOwnUnit: 'Change unit',
  roleDescription: {
    title: (role) => `What does the ${role.toLowerCase()} do?`,
    holders: 'Who holds the role',
  },
  errorRouting: {
    title: 'Where to report errors',
    unit4: 'Errors in Unit4',
    dfo: 'Errors in SAP, Selvbetjeningsportalen or the DFØ app',
    other: 'Other errors and questions',
    write: (email) => `Write to ${email}`,
    open: 'Open',
  },

  help: {
    greeting: "Hi! I'm the Økonomi og lønn bot.",
    title: 'What I can help with',
    items: [
      'Find the process advisor for Btb, Project finance, PBO or payroll at your unit',
      'Find the process manager, process owner, management coordinator, system manager and implementation lead',
      'Explain what the roles do',
      'Tell you where to report errors in Unit4, SAP, Selvbetjeningsportalen and the DFØ app',
      'Take improvement suggestions and send them to the right process team ("improvement suggestion", "my suggestions", "status FF-2026-0042")',
      'Tell you about upcoming courses and fagkaféer, remind you of them and find recordings ("which courses are coming up?")',
    ],
    examplesTitle: 'Try for example',
    examples: [
      'Who is the process advisor for Btb in my unit?',
      'Who is the process manager for PBO?',
      'Where do I report an error in Unit4?',
      'Which unit am I registered at?',
      'I have an improvement suggestion',
    ],
  },
  welcome: {
    title: 'Welcome to Økonomi og lønn!',
    body: "I find the right person for questions about NTNU's finance and payroll processes: process advisors, process managers and where to report errors. Tell me which unit you work at so the answers are right for you.",
  },
  explanation: {
    title: (names) => `This is ${names}`,
    processRoleTitle: (role, names) => `${role} is a process role in ${names}`,
    noDescription: 'The directory has no description of this process yet.',
    whoHint: (process) => `Want to know whom to ask? Write, for example, "Who is the process advisor for ${process} at IDI?".`,
  },
  cannotAnswer: {
    title: {
      'own-money': "I can't see your pay, holiday pay or payments.",
      everyday: "Sorry, I can't answer that.",
      weather: "Sorry, I can't answer that.",
      ordering: "I can't order or buy anything for you.",
    },
    body: {
      'own-money': 'Your payslips and payments are in Selvbetjeningsportalen (the self-service portal) or DFØ-appen. For questions about your own pay, contact the Service Centre:',
      everyday:
        "I know nothing of parking, canteens and everyday life on campus. I answer questions about NTNU's finance and payroll processes: who the process advisor, process manager and other roles are, what the processes cover, and where to report errors.",
      weather:
        "I only answer questions about NTNU's finance and payroll processes: who the process advisor, process manager and other roles are, what the processes cover, and where to report errors.",
      ordering: 'You place orders yourself in Unit4, in the Purchase to pay process. Ask me who the Btb advisor at your unit is, or contact:',
    },
  },
  notUnderstood: {
    title: "I didn't quite get that.",
    body: 'I answer who the process advisor, process manager and other roles are for the finance and payroll processes, and where to report errors. Ask with a process and a unit, for example "Who is the process advisor for PBO at IDI?".',
  },
  tooLong: (limit) => `That message is too long for me (over ${limit} characters). Please ask briefly, for example "Who is the process advisor for Btb at IDI?".`,
  thanks: "You're welcome! Ask me again any time.",
  processOverview: {
    title: 'The main finance and payroll processes',
    body: 'Ask for example "who is the process advisor for PBO in my unit?".',
    advisorModel: {
      local: 'Local process advisors at every unit (faculty, department, the University Museum, the Joint Administration).',
      'service-centre': 'All process advisors work in the Service Centre (Tjenestesenteret).',
      central: 'No local advisors: the process manager in the Joint Administration answers.',
    },
  },
  turnError: 'Sorry, something went wrong on my side and I could not answer. Please try again in a moment.',
  cardError: 'Something went wrong with the card. Please try again, or type your question in the chat.',
  roleDescriptions: {},
};

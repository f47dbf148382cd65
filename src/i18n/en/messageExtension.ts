import type { MessageExtensionTexts } from '../nb/messageExtension';

/** English texts of the message extension. */
export const messageExtensionEn: MessageExtensionTexts = {
  advisors: {
    help: (processes: string): string => `Type a process and a unit, for example "btb IE", "project finance physics" or "PBO my unit". The processes are: ${processes}.`,
    askUnit: 'Type the unit too, for example "btb IDI". To use "my unit", first tell the bot where you work ("I work at IDI" in the chat with Finance and Payroll).',
    unknownUnit: (text: string, suggestions: string): string =>
      suggestions
        ? `There is no unit called "${text}". Did you mean ${suggestions}?`
        : `There is no unit called "${text}". Type the unit's code or name, for example IDI or physics.`,
    askProcess: (unit: string | null, processes: string): string => `${unit ? `Which process at ${unit}? ` : 'Which process is it about? '}Type one of these: ${processes}.`,
    nobody: (role: string, process: string | null): string =>
      process ? `Nobody is registered as ${role.toLowerCase()} for ${process}.` : `Nobody is registered as ${role.toLowerCase()}.`,
    ownUnit: (unit: string | null): string =>
      unit ? `Your unit is ${unit}. Type a process, for example "btb my unit".` : 'The bot doesn\'t know your unit. Type the unit in the search, for example "btb IDI".',
    errorRouting: (routes: string): string => `Where to report errors: ${routes}`,
    tooLong: (limit: number): string => `The search is too long (at most ${limit} characters).`,
    card: { chat: 'Chat in Teams', sendEmail: 'Send e-mail', email: 'E-mail', phone: 'Phone' },
  },
  events: {
    none: 'No upcoming course or Q&A café matches the search.',
    noneAtAll: 'No courses, Q&A cafés or Q&A sessions have been announced yet.',
  },
  suggestion: {
    dialogTitle: 'Report as an improvement suggestion',
    fromMessage: (author: string | null): string => (author ? `From a message by ${author}:` : 'From a message:'),
    sentToChat: 'The confirmation has also been sent to you in the chat with Finance and Payroll.',
  },
  question: {
    dialogTitle: 'Ask the advisor',
    sentToChat: 'The confirmation has also been sent to you in the chat with Økonomi og lønn, where the answer will come too.',
  },
  errors: {
    unknownCommand: "The app doesn't know this command. Update Teams or reinstall the app.",
    badRequest: "The request couldn't be read. Please try again.",
    slow: 'Answering took too long. Please try again in a moment.',
    failed: 'Something went wrong. Please try again in a moment.',
  },
};

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatEn } from '../../src/i18n/en/chat';
import { chatNb } from '../../src/i18n/nb/chat';
import { sampleUnderstander, type ChatUnderstander } from '../support/understanding';
import { readJsonLines } from '../support/scoreAnswers';
import type { ConversationItem } from '../support/scoreConversations';

/** "capability:kind" of the intent that wins for a message. */
type Winner = `${'privacy' | 'announcements' | 'suggestions' | 'advisorQuestions' | 'events' | 'directory'}:${string}`;

let understander: ChatUnderstander;
beforeAll(async () => {
  understander = await sampleUnderstander();
});

function winner(text: string): Winner {
  const { intent } = understander.understand(text);
  return intent.capability === 'directory' ? `directory:${intent.request.kind}` : `${intent.capability}:${intent.command.kind}`;
}

const evalFolder = path.resolve(__dirname, '../eval');
const directoryQuestions = readJsonLines<{ id: string; turns: string[] }>(path.join(evalFolder, 'directory-questions-dev.jsonl'));
const conversations = readJsonLines<ConversationItem & { why?: string }>(path.join(evalFolder, 'conversation-questions-dev.jsonl'));

/** What the last turn of a conversation-set item asks, by its kind. */
function expectedForLastTurn(item: ConversationItem & { why?: string }): Winner[] {
  switch (item.kind) {
    case 'error-routing':
      return ['directory:report-error'];
    case 'process-explanation':
      return ['directory:explain'];
    case 'must-not-guess':
      // Out of scope is declined; the rest ask (for a unit, a process, which of several units) rather than answer.
      return item.why?.startsWith('out of scope') ? ['directory:out-of-scope'] : ['directory:ask', 'directory:state-own-unit'];
    default:
      return ['directory:ask', 'directory:state-own-unit'];
  }
}

describe('one intent per message, by the documented priorities', () => {
  it('reads every question of the directory development set as a directory question', () => {
    for (const question of directoryQuestions) {
      const last = question.turns[question.turns.length - 1] as string;
      // "Jeg er på IHA, hvem spør jeg om salgsordre?" states the unit and asks in one breath.
      expect(['directory:ask', 'directory:state-own-unit'], `${question.id}: ${last}`).toContain(winner(last));
      // A two-turn case first states the asker's unit.
      for (const first of question.turns.slice(0, -1)) expect(winner(first), `${question.id}: ${first}`).toBe('directory:state-own-unit');
    }
  });

  it('reads the last turn of every conversation of the conversation development set by its kind', () => {
    for (const item of conversations) {
      const last = item.turns[item.turns.length - 1] as string;
      expect(expectedForLastTurn(item), `${item.id}: ${last}`).toContain(winner(last));
    }
  });

  it('reads the first turns of the my-unit conversations as statements of the unit (or a greeting)', () => {
    for (const item of conversations.filter((conversation) => conversation.kind === 'my-unit')) {
      for (const turn of item.turns.slice(0, -1)) expect(['directory:state-own-unit', 'directory:help'], `${item.id}: ${turn}`).toContain(winner(turn));
    }
  });

  it.each([
    // privacy
    ['slett mine data', 'privacy:delete-my-data'],
    ['delete my data', 'privacy:delete-my-data'],
    // announcements
    ['ny kunngjøring', 'announcements:new'],
    ['endre kunngjøring KU-2026-0007', 'announcements:amend'],
    ['avlys KU-2026-0007', 'announcements:cancel'],
    ['status KU-2026-0007', 'announcements:status'],
    ['ikke levert KU-2026-0007', 'announcements:undelivered'],
    ['hvem fikk ikke KU-2026-0007?', 'announcements:undelivered'],
    // suggestions
    ['jeg har et forbedringsforslag', 'suggestions:new'],
    ['suggest an improvement', 'suggestions:new'],
    ['mine forslag', 'suggestions:mine'],
    ['status FF-2026-0042', 'suggestions:status'],
    ['åpne forslag', 'suggestions:open-in-channel'],
    ['registrer kanalen for Btb ved IE', 'suggestions:register-channel'],
    ['fjern kanalen for Btb ved IE', 'suggestions:unregister-channel'],
    ['vis kanaler', 'suggestions:list-registrations'],
    ['forslag som venter på levering', 'suggestions:awaiting-delivery'],
    ['vis uleverte meldinger', 'suggestions:undelivered-messages'],
    ['kva meldingar kunne ikkje leverast', 'suggestions:undelivered-messages'],
    ['vis meldinger som ikke kunne leveres', 'suggestions:undelivered-messages'],
    ['show undelivered messages', 'suggestions:undelivered-messages'],
    ['messages that could not be delivered', 'suggestions:undelivered-messages'],
    ['eksporter forslag for Btb avslått siste 90 dager', 'suggestions:export'],
    // questions to the advisors
    ['mine spørsmål', 'advisorQuestions:mine'],
    ['show my questions', 'advisorQuestions:mine'],
    // events
    ['jeg er prosjektøkonom', 'events:state-roles'],
    ['abonner på fagkaféer for Btb', 'events:subscribe'],
    ['mine abonnementer', 'events:settings'],
    ['avslutt abonnement', 'events:unsubscribe'],
    ['hvilke kurs kommer?', 'events:upcoming'],
    ['neste fagkafé for Btb', 'events:upcoming'],
    ['kurs for prosjektøkonomer', 'events:upcoming'],
    ['when is the next Q&A session?', 'events:upcoming'],
    ['legg til opptak KU-2026-0007 https://example.invalid/opptak Fagkafé om innkjøp', 'events:add-material'],
    ['opptak fra fagkaféen om EU-søknader', 'events:past'],
    // directory
    ['hjelp', 'directory:help'],
    ['hei', 'directory:help'],
    ['tusen takk!', 'directory:thanks'],
    ['hvilke prosesser finnes?', 'directory:process-list'],
    ['hvilken enhet er jeg registrert på?', 'directory:show-own-unit'],
    ['jeg jobber på IDI', 'directory:state-own-unit'],
    ['hvor melder jeg feil i Unit4?', 'directory:report-error'],
    ['hva er Btb?', 'directory:explain'],
    ['hva er lønnen min?', 'directory:out-of-scope'],
    ['IIK', 'directory:ask'],
    ['og for PBO?', 'directory:ask'],
    // A who-question outranks the word "forbedre" and a stated process role.
    ['hvem kan jeg kontakte for å forbedre Btb ved IE?', 'directory:ask'],
    // … and says where the writer works, which is kept while the question is answered.
    ['jeg er prosjektøkonom ved IE, hvem er rådgiveren min for PBO?', 'directory:state-own-unit'],
  ] as Array<[string, Winner]>)('%j → %s', (text, expected) => {
    expect(winner(text)).toBe(expected);
  });

  it('reads every example the help card offers as the capability it demonstrates', () => {
    const expected: Winner[] = ['directory:ask', 'directory:ask', 'directory:report-error', 'directory:show-own-unit', 'suggestions:new'];
    for (const examples of [chatNb.help.examples, chatEn.help.examples]) {
      expect(examples.map(winner)).toEqual(expected);
    }
  });

  it('reads "prosjektøkonom" as a process role, not the process, unless a process is named', () => {
    const role = understander.read('jeg er prosjektøkonom ved IE, hvem er rådgiveren min for PBO?');
    expect(role.processRoles).toEqual(['prosjektokonom']);
    expect(role.processes).toEqual(['PBO']);
    expect(understander.read('hvem er rådgiver for prosjektøkonomi ved IE?').processes).toEqual(['PROSJ']);
  });
});

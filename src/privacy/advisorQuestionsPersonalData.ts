/**
 * "slett mine data" for questions to the advisors: the process team's record
 * of a question stays (the question and its answer), but without the person
 * who asked: the asker is replaced by an anonymous stand-in, also in the
 * history lines of their own asking and withdrawing. What they did as a
 * handler of others' questions stays as the record of that case.
 */
import { ANONYMISED_ACTOR } from '../core/actor';
import { QuestionConflictError, type AdvisorQuestionStore } from '../advisorQuestions/advisorQuestionStore';
import type { AdvisorQuestion, QuestionHistoryEntry } from '../advisorQuestions/model';
import { rewriteWithoutPerson, type DataSubject, type PersonalDataHolder } from './personalDataHolder';

const OWN_ACTIONS: ReadonlySet<QuestionHistoryEntry['action']> = new Set(['submitted', 'withdraw']);

/** The question without the user as its asker; null when they did not ask it. */
export function questionWithoutAsker(question: AdvisorQuestion, userId: string): AdvisorQuestion | null {
  if (question.asker.id !== userId) return null;
  return {
    ...question,
    asker: { ...ANONYMISED_ACTOR },
    history: question.history.map((entry) => (entry.by.id === userId && OWN_ACTIONS.has(entry.action) ? { ...entry, by: { ...ANONYMISED_ACTOR } } : entry)),
  };
}

/** The questions the user asked, from which deletion removes them. */
export function advisorQuestionsPersonalData(store: Pick<AdvisorQuestionStore, 'list' | 'get' | 'update'> & { tableName: string }): PersonalDataHolder<AdvisorQuestion> {
  const asked = async (user: DataSubject) => (await store.list()).filter((question) => question.asker.id === user.id);
  return {
    kind: 'advisorQuestions',
    tables: [store.tableName],
    findForUser: asked,
    deleteForUser: async (user) =>
      rewriteWithoutPerson(
        (await asked(user)).map((question) => question.id),
        {
          read: async (id) => {
            const stored = await store.get(id);
            return stored && { record: stored.question, etag: stored.etag };
          },
          rewrite: (question) => questionWithoutAsker(question, user.id),
          write: (question, etag) => store.update(question, etag),
          isConflict: (error) => error instanceof QuestionConflictError,
        },
      ),
  };
}

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
import type { DataSubject, PersonalDataHolder } from './personalDataHolder';

const OWN_ACTIONS: ReadonlySet<QuestionHistoryEntry['action']> = new Set(['submitted', 'withdraw']);
const UPDATE_ATTEMPTS = 5;

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
    deleteForUser: async (user) => {
      const done: string[] = [];
      for (const { id } of await asked(user)) {
        for (let attempt = 1; ; attempt += 1) {
          const stored = await store.get(id);
          const changed = stored && questionWithoutAsker(stored.question, user.id);
          if (!stored || !changed) break;
          try {
            await store.update(changed, stored.etag);
            done.push(id);
            break;
          } catch (error) {
            // Someone acted on the question meanwhile: apply the removal to what they left.
            if (!(error instanceof QuestionConflictError) || attempt >= UPDATE_ATTEMPTS) throw error;
          }
        }
      }
      return done;
    },
  };
}

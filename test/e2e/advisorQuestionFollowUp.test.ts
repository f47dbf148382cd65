import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../support/botUnderTest';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

const DAY = 24 * 60 * 60 * 1000;

function questionIdIn(text: string): string {
  const match = /SP-\d{4}-\d{4}/.exec(text);
  if (!match) throw new Error(`no question id in ${text.slice(0, 300)}`);
  return match[0];
}

describe('reminders about unanswered questions and their count in the weekly digest, end to end', () => {
  let bot: BotUnderTest;
  let asker: NamedUser;
  let advisor: NamedUser;
  let coordinator: NamedUser;

  const ask = async () => {
    const form = { process: 'BTB', unit: 'IDI', text: `Hvordan gjør jeg ${randomUUID()}?`, shareable: 'false', lang: 'nb', formId: randomUUID() };
    const id = questionIdIn(invokeCard(await bot.post(cardAction(bot, asker, 'submitAdvisorQuestion', form))));
    await waitFor(() => bot.connector.messagesIn(advisor.conversationId).find((message) => JSON.stringify(message).includes(id)), 15_000, `the card of ${id}`);
    return id;
  };
  const remindersOf = (id: string) => bot.connector.messagesIn(advisor.conversationId).filter((message) => JSON.stringify(message).includes(`Påminnelse: spørsmålet ${id}`));
  const act = (id: string, action: string, extra: Record<string, unknown> = {}) =>
    bot.post(cardAction(bot, advisor, 'advisorQuestionAction', { id, action, view: 'handler', lang: 'nb', ...extra }));

  beforeAll(async () => {
    bot = await startBotUnderTest({ OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', ADVISOR_QUESTION_REMINDER_WORKING_DAYS: '3' });
    asker = namedUser(bot, 'Kari Ansatt', 'kari.ansatt@ntnu.example');
    // The Btb advisor a question from IDI goes to one to one.
    advisor = namedUser(bot, 'Audun Brekke', 'audun.brekke@ntnu.example');
    coordinator = namedUser(bot, 'Gry-Lene Johansen', 'gry-lene.johansen@ntnu.example');
    for (const user of [asker, advisor, coordinator]) await bot.post(personalMessage(bot, user, 'hei'));
  });
  afterAll(async () => bot.stop());

  it('reminds the advisor of a question nobody has answered, with the card to act on, once for the step', async () => {
    const id = await ask();
    const answered = await ask();
    await act(answered, 'answer', { comment: 'Slik gjør du det.' });
    // Ten calendar days on: at least three working days whatever the weekday and holidays.
    await bot.app.questionReminders.runOnce(new Date(Date.now() + 10 * DAY));
    const reminder = JSON.stringify(await waitFor(() => remindersOf(id)[0], 15_000, 'the reminder'));
    expect(reminder).toMatch(new RegExp(`Påminnelse: spørsmålet ${id} har ventet på svar i \\d+ virkedager`));
    expect(reminder).toContain('Ta spørsmålet og svar spørsmålsstilleren');
    expect(reminder).toContain('"verb":"advisorQuestionAction"');
    await bot.app.questionReminders.runOnce(new Date(Date.now() + 11 * DAY));
    // A card routed after the second pass has arrived, so the outbox has been through anything that pass put in it.
    await ask();
    expect(remindersOf(id)).toHaveLength(1);
    expect(remindersOf(answered)).toHaveLength(0);
  });

  it('reminds the advisor who took a question, counting from when they took it', async () => {
    const id = await ask();
    await act(id, 'take');
    await bot.app.questionReminders.runOnce(new Date(Date.now() + 10 * DAY));
    const reminder = JSON.stringify(await waitFor(() => remindersOf(id)[0], 15_000, "the taker's reminder"));
    expect(reminder).toContain('Du har tatt spørsmålet.');
  });

  it("counts the unanswered questions in the coordinator's weekly digest", async () => {
    // Monday 4 January 2027, 08:30 in Oslo: that week's digest is due, and every question above has waited long.
    await bot.app.followUp.runOnce(new Date('2027-01-04T07:30:00Z'));
    const digest = JSON.stringify(
      await waitFor(() => bot.connector.messagesIn(coordinator.conversationId).find((message) => JSON.stringify(message).includes('uke 1 2027')), 15_000, 'the digest'),
    );
    expect(digest).toContain('"title":"Spørsmål til prosessrådgiverne som venter på svar","value":"3"');
    expect(digest).toContain('"title":"Spørsmål uten svar i 3 virkedager eller mer","value":"3"');
    expect(digest).toContain('"title":"Spørsmål videresendt til prosessansvarlig","value":"0"');
  });
});

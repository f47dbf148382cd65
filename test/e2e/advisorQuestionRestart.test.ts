import { describe, expect, it } from 'vitest';
import { TableAdvisorQuestionStore } from '../../src/advisorQuestions/advisorQuestionStore';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { chooseRoute } from '../../src/routing/processRoutes';
import { startBotUnderTest } from '../support/botUnderTest';
import { StandInConnector } from '../support/standInConnector';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { namedUser, personalMessage, waitFor } from '../support/teamsUsers';

describe('a restart between storing a question to the advisors and routing it', () => {
  it('delivers the question once, after the restart', async () => {
    const prefix = uniqueTablePrefix('askcrash');
    const environment = { TABLE_PREFIX: prefix, OUTBOX_POLL_SECONDS: '0.2' };

    const connector = new StandInConnector();
    await connector.start();
    // The advisor has the bot installed: the first instance learns their chat.
    const first = await startBotUnderTest(environment, connector);
    const advisor = namedUser(first, 'Audun Brekke', 'audun.brekke@ntnu.example');
    await first.post(personalMessage(first, advisor, 'hei'));
    await first.stop();

    // The instance died right after storing a question: stored, never put in the outbox.
    const draft = { process: 'BTB', unit: 'IDI', text: 'Lagret før krasj', shareable: false };
    const registrations = await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}channelregistrations`);
    const route = await chooseRoute(draft, await seededDirectoryIndex(), registrations);
    const store = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}advisorquestions`);
    const { stored } = await store.create({ draft, asker: { id: 'u-kari', name: 'Kari' }, route, now: new Date(), language: 'nb', idempotencyKey: 'form-1' });
    const id = stored.question.id;

    const second = await startBotUnderTest(environment, connector);
    const copies = () => connector.messagesIn(advisor.conversationId).filter((message) => JSON.stringify(message).includes(id));
    try {
      await waitFor(() => copies().length > 0, 15_000, 'delivery after the restart');
      await waitFor(async () => (await store.get(id))?.question.delivered, 15_000, 'the question marked delivered');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(copies()).toHaveLength(1);
    } finally {
      await second.stop();
    }

    const third = await startBotUnderTest(environment, connector);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(copies()).toHaveLength(1);
    } finally {
      await third.stop();
      await connector.stop();
    }
  });
});

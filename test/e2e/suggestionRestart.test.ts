import { describe, expect, it } from 'vitest';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { chooseRoute } from '../../src/routing/processRoutes';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { startBotUnderTest } from '../support/botUnderTest';
import { StandInConnector } from '../support/standInConnector';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { namedUser, personalMessage, waitFor } from '../support/teamsUsers';

describe('a restart between storing a suggestion and routing it', () => {
  it('delivers the suggestion once, after the restart', async () => {
    const prefix = uniqueTablePrefix('crash');
    const environment = { TABLE_PREFIX: prefix, OUTBOX_POLL_SECONDS: '0.2' };

    const connector = new StandInConnector();
    await connector.start();
    // The advisor has the bot installed: the first instance learns their chat.
    const first = await startBotUnderTest(environment, connector);
    const advisor = namedUser(first, 'Audun Brekke', 'audun.brekke@ntnu.example');
    await first.post(personalMessage(first, advisor, 'hei'));
    await first.stop();

    // The instance died right after storing a submission: stored, never put in the outbox.
    const draft = { process: 'BTB', unit: 'IDI', title: 'Lagret før krasj', description: 'D', potential: 'P', system: 'unit4' as const, mayContact: true };
    const registrations = await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}channelregistrations`);
    const route = await chooseRoute(draft, await seededDirectoryIndex(), registrations);
    const store = await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`);
    const { stored } = await store.create({ draft, submitter: { id: 'u-kari', name: 'Kari' }, route, now: new Date(), language: 'nb', idempotencyKey: 'activity-1' });
    const id = stored.suggestion.id;

    const second = await startBotUnderTest(environment, connector);
    const copies = () => connector.messagesIn(advisor.conversationId).filter((message) => JSON.stringify(message).includes(id));
    try {
      await waitFor(() => copies().length > 0, 15_000, 'delivery after the restart');
      await waitFor(async () => (await store.get(id))?.suggestion.delivered, 15_000, 'the suggestion marked delivered');
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

import { describe, expect, it } from 'vitest';
import { TableBroadcastStore } from '../../src/broadcast/broadcastStore';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import type { RoleHolder } from '../../src/roleHolders/model';
import { TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import { announcementForm, announcementIdIn, osloDateInDays } from '../support/announcementForms';
import { startBotUnderTest } from '../support/botUnderTest';
import { StandInConnector } from '../support/standInConnector';
import { StandInGraph } from '../../bench/support/standInGraph';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor } from '../support/teamsUsers';

/** People with a chat with the bot, and as many the app has to be installed for first. */
const WITH_CHAT = 1000;
const WITHOUT_CHAT = 1000;

/**
 * The done-when of issue 14's proactive installation, over HTTP: the coordinator sends an announcement to the
 * innkjøpere of the role-holder list; half of them never opened the bot. The app finds each of those in a stand-in
 * Microsoft Graph, installs itself for them (through Graph's 429s), and delivers to the chat it got, through the
 * same broadcast engine and stand-in connector as everyone else. A few people cannot be reached: they are listed
 * with their reasons. The list and the chats are written to storage before the app starts (importing 2,000 rows
 * through the tab is the role-holder tests' business).
 */
describe('an announcement to a role-holder audience half of whom never installed the bot', () => {
  it('reaches everyone, installing the app for those without a chat through Graph 429s, and lists the few it cannot reach with their reasons', async () => {
    const prefix = uniqueTablePrefix('install');
    const connector = new StandInConnector();
    const graph = new StandInGraph();
    await Promise.all([connector.start(), graph.start()]);
    // Graph answers every 500th request 429 (Retry-After 1 s): about eight times over the 4,000 requests.
    graph.throttleEvery = 500;

    const holders: RoleHolder[] = [];
    const conversations = await TableConversationStore.open(testConnectionString(), `${prefix}conversations`);
    for (let index = 0; index < WITH_CHAT; index++) {
      const email = `med.chat.${index}@ntnu.example`;
      holders.push({ email, name: `Med Chat ${index}`, role: 'innkjoper', unit: 'IDI', process: null });
      const id = `aad-chat-${index}`;
      await conversations.remember({
        conversationId: `a:chat-${index}`,
        kind: 'personal',
        reference: {
          channelId: 'msteams',
          serviceUrl: connector.url,
          conversation: { id: `a:chat-${index}`, conversationType: 'personal', tenantId: 'tenant' },
          bot: { id: '28:bot' },
          user: { id: `29:${id}`, aadObjectId: id },
        },
        user: { id, name: `Med Chat ${index}`, email },
        updatedAt: new Date().toISOString(),
      });
    }
    const withoutChat: string[] = [];
    for (let index = 0; index < WITHOUT_CHAT; index++) {
      const email = `uten.chat.${index}@ntnu.example`;
      holders.push({ email, name: `Uten Chat ${index}`, role: 'innkjoper', unit: 'IDI', process: null });
      withoutChat.push(graph.addUser(email, `Uten Chat ${index}`).id);
    }
    // Those it cannot reach: nobody in Graph by that e-mail; the app blocked by policy; Graph failing for good.
    const unknown = ['ukjent.1@ntnu.example', 'ukjent.2@ntnu.example'];
    const blocked = graph.addUser('blokkert@ntnu.example', 'Blokkert Person');
    graph.blocked.add(blocked.id);
    const failing = graph.addUser('graphfeil@ntnu.example', 'Graph Feil');
    graph.failures.push({ method: 'POST', path: new RegExp(`/users/${failing.id}/teamwork/installedApps$`), status: 503, remaining: 100 });
    for (const email of [...unknown, blocked.mail, failing.mail]) holders.push({ email, name: email, role: 'innkjoper', unit: 'IDI', process: null });
    const roleHolders = await TableRoleHolderStore.open(testConnectionString(), `${prefix}roleholders`);
    await roleHolders.replace(holders, 'innkjopere.csv');

    const bot = await startBotUnderTest(
      {
        TABLE_PREFIX: prefix,
        COORDINATORS: 'ida.koordinator@ntnu.example',
        OUTBOX_POLL_SECONDS: '0.2',
        BROADCAST_RATE_PER_SECOND: '1000',
        GRAPH_INSTALL_ENABLED: 'true',
        TEAMS_APP_CATALOG_ID: graph.catalogAppId,
        GRAPH_BASE_URL: graph.baseUrl,
        GRAPH_REQUESTS_PER_SECOND: '1000',
        TEAMS_SERVICE_URL: connector.url,
      },
      connector,
    );
    try {
      const coordinator = namedUser(bot, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
      await bot.post(personalMessage(bot, coordinator, 'hei'));
      const form = announcementForm({ startDate: osloDateInDays(10), roles: 'innkjoper', units: '', formId: 'install-form', lang: 'nb' });
      const preview = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', form)));
      const id = announcementIdIn(preview);
      expect(preview).toContain(`${WITHOUT_CHAT + 4} personer: jeg installerer appen for dem når kunngjøringen sendes`);
      const confirm = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'sendAnnouncement');
      const started = performance.now();
      invokeCard(
        await bot.post(cardAction(bot, coordinator, 'sendAnnouncement', confirm?.data ?? {}, { id: coordinator.conversationId, conversationType: 'personal' }, 'status-install')),
      );

      const broadcasts = await TableBroadcastStore.open(testConnectionString(), `${prefix}broadcasts`);
      const broadcastId = `${id}.send`;
      await waitFor(async () => (await broadcasts.get(broadcastId))?.status === 'done', 150_000, 'the broadcast done');
      const seconds = (performance.now() - started) / 1000;

      const cardsIn = (conversationId: string) => connector.messagesIn(conversationId).filter((message) => JSON.stringify(message).includes(String(form.title))).length;
      const chatIds = [...Array.from({ length: WITH_CHAT }, (_, index) => `a:chat-${index}`), ...withoutChat.map((userId) => StandInGraph.chatIdOf(userId))];
      const counts = chatIds.map(cardsIn);
      const lost = counts.filter((count) => count === 0).length;
      const duplicates = counts.filter((count) => count > 1).length;
      console.log(
        `proactive installation e2e: ${WITH_CHAT + WITHOUT_CHAT} reached in ${seconds.toFixed(1)} s (${WITHOUT_CHAT} installed through Graph), ` +
          `lost ${lost}, duplicates ${duplicates}, Graph requests ${graph.requests}, 429s ${graph.throttled}, installs ${graph.installed}, 409s ${graph.conflicts}`,
      );
      expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
      expect(graph.throttled).toBeGreaterThan(0);
      expect(graph.installed).toBe(WITHOUT_CHAT);
      // Every card went through the connector: nothing else was sent to anyone but the coordinator.
      expect(connector.received.filter((entry) => entry.method === 'POST' && entry.conversationId !== coordinator.conversationId)).toHaveLength(WITH_CHAT + WITHOUT_CHAT);

      const summary = await broadcasts.get(broadcastId);
      expect(summary).toMatchObject({ total: WITH_CHAT + WITHOUT_CHAT + 4, possibleDuplicates: 0 });
      const failures = (await broadcasts.recipients(broadcastId, ['failed', 'unreachable'])).map((recipient) => [recipient.label, recipient.state, recipient.installation]);
      expect(failures.sort()).toEqual(
        [
          ['blokkert@ntnu.example', 'unreachable', 'blocked'],
          ['graphfeil@ntnu.example', 'failed', 'graph-error'],
          ['ukjent.1@ntnu.example', 'unreachable', 'not-found'],
          ['ukjent.2@ntnu.example', 'unreachable', 'not-found'],
        ].sort(),
      );

      // The coordinator asks who did not get it: the reasons, in their language.
      const before = connector.messagesIn(coordinator.conversationId).length;
      await bot.post(personalMessage(bot, coordinator, `${id} ikke levert`));
      const list = JSON.stringify(
        await waitFor(
          () =>
            connector
              .messagesIn(coordinator.conversationId)
              .slice(before)
              .find((message) => JSON.stringify(message).includes('Ikke levert')),
          10_000,
          'the undelivered list',
        ),
      );
      expect(list).toContain('Finnes ikke i NTNUs brukerkatalog');
      expect(list).toContain('organisasjonens policy for Teams-apper');
      expect(list).toContain('Microsoft Graph svarte med feil');

      // The chats the installations made are remembered: the next announcement reaches those people directly.
      const again = invokeCard(await bot.post(cardAction(bot, coordinator, 'previewAnnouncement', { ...form, formId: 'install-form-2', title: `${String(form.title)} igjen` })));
      expect(again).toContain('4 personer: jeg installerer appen for dem når kunngjøringen sendes');
    } finally {
      await bot.stop();
      await Promise.all([connector.stop(), graph.stop()]);
    }
  }, 240_000);
});

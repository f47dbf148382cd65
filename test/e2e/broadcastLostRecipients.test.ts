import { odata, TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { TableBroadcastStore } from '../../src/broadcast/broadcastStore';
import { announcementForm, announcementIdIn, osloDateInDays } from '../support/announcementForms';
import { startBotUnderTest } from '../support/botUnderTest';
import { StandInConnector } from '../support/standInConnector';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

const PEOPLE = 6;

/**
 * Killing the whole process group locally can leave embedded Azurite without the writes it had not flushed: a
 * broadcast's summary (active, with its total) may survive while its recipient rows do not. Here the rows are
 * deleted from Azurite between two instances, as that crash leaves them.
 */
describe('a broadcast found sending without any recipient rows at start', () => {
  it('is started again for its audience worked out anew, the coordinator is told once, and nobody is left out', async () => {
    const prefix = uniqueTablePrefix('bclost');
    // Slow on purpose, so the first instance stops with most of the audience still to go.
    const environment = { TABLE_PREFIX: prefix, OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'silent', COORDINATORS: 'ida.koordinator@ntnu.example', BROADCAST_RATE_PER_SECOND: '2' };
    const connector = new StandInConnector();
    await connector.start();

    const first = await startBotUnderTest(environment, connector);
    const coordinator = namedUser(first, 'Ida Koordinator', 'ida.koordinator@ntnu.example');
    const people: NamedUser[] = [];
    for (let index = 0; index < PEOPLE; index++) {
      const person = namedUser(first, `Ansatt ${index}`, `ansatt.${index}@ntnu.example`);
      await first.post(personalMessage(first, person, 'jeg jobber på IDI'));
      people.push(person);
    }
    await first.post(personalMessage(first, coordinator, 'hei'));
    const form = announcementForm({ startDate: osloDateInDays(10), units: 'IDI', formId: 'lost-form', lang: 'nb' });
    const preview = invokeCard(await first.post(cardAction(first, coordinator, 'previewAnnouncement', form)));
    const id = announcementIdIn(preview);
    const confirm = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'sendAnnouncement');
    invokeCard(
      await first.post(cardAction(first, coordinator, 'sendAnnouncement', confirm?.data ?? {}, { id: coordinator.conversationId, conversationType: 'personal' }, 'status-lost')),
    );
    const cardsIn = (person: NamedUser) => connector.messagesIn(person.conversationId).filter((message) => JSON.stringify(message).includes(String(form.title)));
    const reached = () => people.filter((person) => cardsIn(person).length > 0).length;
    await waitFor(() => reached() >= 1, 15_000, 'the first card');
    await first.stop();
    expect(reached()).toBeLessThan(PEOPLE);

    // What the crash leaves: the broadcast active with its total, and none of its recipient rows.
    const broadcastId = `${id}.send`;
    const broadcasts = await TableBroadcastStore.open(testConnectionString(), `${prefix}broadcasts`);
    expect(await broadcasts.get(broadcastId)).toMatchObject({ status: 'active', total: PEOPLE });
    const table = TableClient.fromConnectionString(testConnectionString(), `${prefix}broadcasts`, { allowInsecureConnection: true });
    for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${`b|${broadcastId}`} and RowKey ge 'r|' and RowKey lt 'r}'` } })) {
      await table.deleteEntity(row.partitionKey as string, row.rowKey as string);
    }
    expect(await broadcasts.recipients(broadcastId)).toEqual([]);

    const told = () => connector.messagesIn(coordinator.conversationId).filter((message) => String(message.text ?? '').includes('lista over mottakere gikk tapt'));
    const second = await startBotUnderTest(environment, connector);
    try {
      const notice = await waitFor(() => told()[0], 20_000, 'the coordinator told');
      expect(notice.text).toContain(`Sendingen av ${id} «${String(form.title)}» ble avbrutt`);
      expect(notice.text).toContain(`satt i gang på nytt til ${PEOPLE} mottakere`);
      expect(notice.text).toContain('kan få det to ganger');
      await waitFor(() => reached() === PEOPLE, 30_000, 'everyone reached after the restart');
      await waitFor(async () => (await broadcasts.get(broadcastId))?.status === 'done', 15_000, 'the broadcast done');
    } finally {
      await second.stop();
    }

    // Started again later: the broadcast has its rows (and is done), so nothing is reported twice.
    const third = await startBotUnderTest(environment, connector);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(told()).toHaveLength(1);
    } finally {
      await third.stop();
      await connector.stop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { announcementForm, announcementIdIn, osloDateInDays } from '../support/announcementForms';
import { startBotUnderTest } from '../support/botUnderTest';
import { StandInConnector } from '../support/standInConnector';
import { uniqueTablePrefix } from '../support/storage';
import { cardAction, invokeCard, namedUser, personalMessage, waitFor, type NamedUser } from '../support/teamsUsers';

const PEOPLE = 24;

describe('an announcement whose sending instance stops halfway', () => {
  it('is delivered to everyone exactly once by the instance that starts next, at the configured rate', async () => {
    const prefix = uniqueTablePrefix('bcrestart');
    // Slow on purpose (4 a second), so the first instance is stopped with most of the audience still to go.
    const environment = { TABLE_PREFIX: prefix, OUTBOX_POLL_SECONDS: '0.2', LOG_LEVEL: 'error', COORDINATORS: 'ida.koordinator@ntnu.example', BROADCAST_RATE_PER_SECOND: '4' };
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

    const form = announcementForm({ startDate: osloDateInDays(10), units: 'IDI', formId: 'restart-form', lang: 'nb' });
    const preview = invokeCard(await first.post(cardAction(first, coordinator, 'previewAnnouncement', form)));
    const id = announcementIdIn(preview);
    expect(preview).toContain(`"value":"${PEOPLE} personer"`);
    const confirm = (JSON.parse(preview) as { actions: Array<{ verb: string; data: Record<string, unknown> }> }).actions.find((action) => action.verb === 'sendAnnouncement');
    invokeCard(
      await first.post(cardAction(first, coordinator, 'sendAnnouncement', confirm?.data ?? {}, { id: coordinator.conversationId, conversationType: 'personal' }, 'status-restart')),
    );

    const cardsIn = (person: NamedUser) => connector.messagesIn(person.conversationId).filter((message) => JSON.stringify(message).includes(String(form.title)));
    const reached = () => people.filter((person) => cardsIn(person).length > 0).length;
    await waitFor(() => reached() >= 3, 15_000, 'the first cards');
    await first.stop();
    const beforeRestart = reached();
    expect(beforeRestart).toBeLessThan(PEOPLE);

    const second = await startBotUnderTest(environment, connector);
    try {
      await waitFor(() => reached() === PEOPLE, 30_000, 'everyone reached after the restart');
      const statusCards = () =>
        connector
          .updatesIn(coordinator.conversationId)
          .filter((update) => update.replyToId === 'status-restart')
          .map((update) => JSON.stringify(update.activity));
      const final = await waitFor(() => statusCards().find((card) => card.includes('Ferdig:')), 15_000, 'the final report after the restart');
      expect(final).toContain(`${id} · Sendt`);
      expect(final).toContain(`levert til ${PEOPLE} av ${PEOPLE}`);
      // A graceful stop leaves nothing in flight: nobody may have got it twice.
      expect(people.map((person) => cardsIn(person).length)).toEqual(Array(PEOPLE).fill(1));

      // Never more than the configured 4 in a second for the app, across both instances (a little slack for timer rounding).
      const sendTimes = people
        .map((person) => connector.received.find((entry) => entry.conversationId === person.conversationId && JSON.stringify(entry.activity).includes(String(form.title)))?.at ?? 0)
        .sort((a, b) => a - b);
      for (let index = 4; index < sendTimes.length; index++) expect((sendTimes[index] as number) - (sendTimes[index - 4] as number)).toBeGreaterThanOrEqual(950);
    } finally {
      await second.stop();
      await connector.stop();
    }
  });
});

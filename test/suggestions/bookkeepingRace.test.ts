import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import type { Actor } from '../../src/core/actor';
import { TableOutboxStore } from '../../src/delivery/outbox';
import type { Suggestion } from '../../src/suggestions/model';
import { SuggestionService } from '../../src/suggestions/suggestionService';
import { TableSuggestionStore, type SuggestionStore } from '../../src/suggestions/suggestionStore';
import { SupportTokens } from '../../src/suggestions/supportTokens';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const SUBMITTER: Actor = { id: 'kari', name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const ADVISOR: Actor = { id: 'audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };

/**
 * The delivery records where a card was posted while someone acts on it (the card has just arrived): that is no one's
 * action, so the action goes through rather than being told someone came first. Against Azurite: the store lets the
 * posting be recorded right before the action's own write, as the outbox worker can.
 */
describe("an action while the delivery records the card's posting", () => {
  it('is applied, not refused as a conflict', async () => {
    const prefix = uniqueTablePrefix('race');
    const table = await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`);
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    let interleave: ((suggestion: Suggestion) => Promise<unknown>) | null = null;
    const store: SuggestionStore = {
      create: (input) => table.create(input),
      get: (id) => table.get(id),
      findBySubmission: (key) => table.findBySubmission(key),
      list: () => table.list(),
      update: async (suggestion, etag) => {
        const before = interleave;
        interleave = null;
        if (before) await before(suggestion);
        return table.update(suggestion, etag);
      },
    };
    const index = await seededDirectoryIndex();
    const service = new SuggestionService({
      directory: () => index,
      store,
      registrations: await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: new Set(),
      supportTokens: new SupportTokens({ secret: Buffer.alloc(32, 1) }),
    });
    const draft = { process: 'BTB', unit: 'IDI', title: `T ${randomUUID()}`, description: 'D', potential: 'P', system: 'unit4', mayContact: 'true' };
    const submitted = await service.submit(draft, SUBMITTER, randomUUID(), 'nb', true);
    if (submitted.kind !== 'submitted') throw new Error(submitted.kind);
    const id = submitted.suggestion.id;

    interleave = () => service.recordPosting(id, { recipient: ADVISOR.email as string, conversationId: 'a:audun', activityId: 'm1' });
    const result = await service.act(id, 'take', ADVISOR, { conversationId: null }, { comment: null, basedOn: submitted.suggestion.updatedAt });
    expect(result).toMatchObject({ kind: 'applied', suggestion: { state: 'under-vurdering', delivered: true, postings: [{ activityId: 'm1' }] } });
  });
});

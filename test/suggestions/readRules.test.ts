import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TableChannelRegistrationStore, type ChannelRegistration } from '../../src/conversations/channelRegistrations';
import { ChannelRegistrationListing } from '../../src/conversations/registrationListing';
import { TableOutboxStore } from '../../src/delivery/outbox';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import type { Actor } from '../../src/core/actor';
import { SuggestionService } from '../../src/suggestions/suggestionService';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { SUPPORT_TOKEN_LIFETIME_MS, SupportTokens } from '../../src/suggestions/supportTokens';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/** The read rules of the suggestion service and the channel list, with every store in Azurite. */

const SUBMITTER: Actor = { id: 'kari', name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const OUTSIDER: Actor = { id: 'ola', name: 'Ola Utenfor', email: 'ola.utenfor@ntnu.example' };
const COLLEAGUE: Actor = { id: 'per', name: 'Per Kollega', email: 'per.kollega@ntnu.example' };
/** The advisor a BTB suggestion from IDI goes to when no channel is registered. */
const ADVISOR: Actor = { id: 'audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const BTB_MANAGER: Actor = { id: 'lene', name: 'Lene Kristiansen', email: 'lene.kristiansen@ntnu.example' };
const FTI_MANAGER: Actor = { id: 'thomas', name: 'Thomas Jensen', email: 'thomas.jensen@ntnu.example' };
/** A coordinator by COORDINATORS, and the one the directory names. */
const CONFIGURED_COORDINATOR: Actor = { id: 'ida', name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const DIRECTORY_COORDINATOR: Actor = { id: 'gry', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' };
const COORDINATORS = new Set([CONFIGURED_COORDINATOR.email as string]);

const draft = (overrides: Record<string, string> = {}) => ({
  process: 'BTB',
  unit: 'IDI',
  title: `Forslag ${randomUUID()}`,
  description: `Beskrivelse ${randomUUID()}`,
  potential: 'Sparer tid',
  system: 'unit4',
  mayContact: 'true',
  ...overrides,
});

describe('who may read, act on and support a suggestion', () => {
  let index: DirectoryIndex;
  let service: SuggestionService;
  let now: Date;
  const secret = randomBytes(32);
  const nowhere = { conversationId: null };

  const submitted = async (by: Actor, overrides: Record<string, string> = {}) => {
    const result = await service.submit(draft(overrides), by, randomUUID(), 'nb', true);
    if (result.kind !== 'submitted') throw new Error(`not submitted: ${result.kind}`);
    return result.suggestion;
  };

  beforeAll(async () => {
    index = await seededDirectoryIndex();
    const prefix = uniqueTablePrefix('reads');
    const outbox = await TableOutboxStore.open(testConnectionString(), `${prefix}outbox`);
    now = new Date();
    service = new SuggestionService({
      directory: () => index,
      store: await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`),
      registrations: await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}registrations`),
      outbox: { enqueue: (message) => outbox.enqueue(message), kick: async () => undefined },
      coordinators: COORDINATORS,
      supportTokens: new SupportTokens({ secret, now: () => now }),
      now: () => now,
    });
  });

  it('shows a suggestion to its submitter and its handlers, and tells an outsider nothing but that', async () => {
    const suggestion = await submitted(SUBMITTER);
    expect(await service.read(suggestion.id, SUBMITTER, nowhere)).toMatchObject({ kind: 'shown', standing: { submitter: true, handler: false } });
    for (const handler of [ADVISOR, BTB_MANAGER, CONFIGURED_COORDINATOR, DIRECTORY_COORDINATOR]) {
      expect(await service.read(suggestion.id, handler, nowhere), handler.name).toMatchObject({ kind: 'shown', standing: { handler: true } });
    }
    for (const outsider of [OUTSIDER, FTI_MANAGER, { id: 'no-email', name: 'Uten e-post' }]) {
      expect(await service.read(suggestion.id, outsider, nowhere), outsider.name).toEqual({ kind: 'outsider' });
    }
    // The number in lower case is the same suggestion; an unknown one is not found.
    expect((await service.read(suggestion.id.toLowerCase(), SUBMITTER, nowhere)).kind).toBe('shown');
    expect(await service.read('FF-1999-0001', SUBMITTER, nowhere)).toEqual({ kind: 'not-found' });
  });

  it('shows a card posted in a channel to whoever acts from that channel or a thread in it, and to nobody from another', async () => {
    const suggestion = await submitted(SUBMITTER);
    const channel = `19:${randomUUID()}@thread.tacv2`;
    await service.recordPosting(suggestion.id, { recipient: `channel:${channel}`, conversationId: channel, activityId: 'activity-1' });
    for (const conversationId of [channel, `${channel};messageid=1700000000001`]) {
      expect(await service.read(suggestion.id, OUTSIDER, { conversationId }), conversationId).toMatchObject({ kind: 'shown', standing: { handler: true } });
    }
    expect(await service.read(suggestion.id, OUTSIDER, { conversationId: `19:${randomUUID()}@thread.tacv2` })).toEqual({ kind: 'outsider' });
  });

  it('answers an outsider acting on a suggestion without it, whatever else would be wrong with the action', async () => {
    const suggestion = await submitted(SUBMITTER);
    const none = { comment: null };
    expect(await service.act(suggestion.id, 'take', OUTSIDER, nowhere, none)).toEqual({ kind: 'outsider' });
    expect(await service.act(suggestion.id, 'reopen', OUTSIDER, nowhere, none)).toEqual({ kind: 'outsider' });
    expect(await service.act(suggestion.id, 'take', OUTSIDER, nowhere, { comment: null, basedOn: '2000-01-01T00:00:00.000Z' })).toEqual({ kind: 'outsider' });
    expect((await service.read(suggestion.id, SUBMITTER, nowhere)).kind === 'shown' && (await service.get(suggestion.id))?.state).toBe('ny');
    // Those who may read it are still told why not, with the suggestion.
    expect(await service.act(suggestion.id, 'reopen', ADVISOR, nowhere, none)).toMatchObject({ kind: 'refused', reason: 'wrong-state', suggestion: { id: suggestion.id } });
  });

  it('lets a user support a suggestion only with the token issued to them for it, before it expires', async () => {
    const original = await submitted(SUBMITTER, {
      title: 'Automatisk varemottak for små innkjøp',
      description: 'Hvert innkjøp under 5000 kroner må varemottas manuelt i Unit4.',
    });
    const offer = await service.submit(
      draft({ title: 'Varemottak for små innkjøp bør skje automatisk', description: 'Små innkjøp under 5000 kroner varemottas manuelt i Unit4 i dag.' }),
      COLLEAGUE,
      randomUUID(),
      'nb',
    );
    if (offer.kind !== 'similar') throw new Error(`expected similar suggestions, got ${offer.kind}`);
    const offered = offer.similar.find((similar) => similar.suggestion.id === original.id);
    expect(offered).toBeDefined();
    const token = offered?.supportToken as string;
    const other = await submitted(SUBMITTER);

    expect(await service.support(original.id, COLLEAGUE, null)).toEqual({ kind: 'not-offered' });
    expect(await service.support(original.id, OUTSIDER, token)).toEqual({ kind: 'not-offered' });
    expect(await service.support(other.id, COLLEAGUE, token)).toEqual({ kind: 'not-offered' });
    expect(await service.support(original.id, COLLEAGUE, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toEqual({ kind: 'not-offered' });
    // Outsiders stay outsiders: refusing them showed nothing and recorded nothing.
    expect(await service.read(original.id, OUTSIDER, nowhere)).toEqual({ kind: 'outsider' });

    const issuedAt = now;
    try {
      now = new Date(issuedAt.getTime() + SUPPORT_TOKEN_LIFETIME_MS + 1000);
      expect(await service.support(original.id, COLLEAGUE, token)).toEqual({ kind: 'not-offered' });
    } finally {
      now = issuedAt;
    }
    expect(await service.support(original.id, COLLEAGUE, token)).toMatchObject({ kind: 'supported', suggestion: { supporters: [COLLEAGUE] } });
    expect(await service.support(original.id, COLLEAGUE, token)).toMatchObject({ kind: 'already' });
    // A supporter was shown it, and may see it again, but not handle it.
    expect(await service.read(original.id, COLLEAGUE, nowhere)).toMatchObject({ kind: 'shown', standing: { submitter: false, handler: false } });
    expect(await service.act(original.id, 'take', COLLEAGUE, nowhere, { comment: null })).toMatchObject({ kind: 'refused', reason: 'outsider' });
  });

  it("does not hand another user's submission to whoever repeats its submission key", async () => {
    const key = randomUUID();
    const first = await service.submit(draft(), SUBMITTER, key, 'nb', true);
    expect(first.kind).toBe('submitted');
    expect(await service.submit(draft(), OUTSIDER, key, 'nb', true)).toEqual({ kind: 'outsider' });
    expect(await service.submit(draft(), SUBMITTER, key, 'nb', true)).toMatchObject({ kind: 'submitted', duplicate: true });
  });

  it('lists the suggestions awaiting delivery to coordinators only', async () => {
    const waiting = await submitted(SUBMITTER);
    expect(await service.awaitingDelivery(OUTSIDER)).toEqual({ kind: 'refused' });
    expect(await service.awaitingDelivery(BTB_MANAGER)).toEqual({ kind: 'refused' });
    const listed = await service.awaitingDelivery(CONFIGURED_COORDINATOR);
    expect(listed.kind === 'listed' && listed.suggestions.map((suggestion) => suggestion.id)).toContain(waiting.id);
  });
});

describe('the support token', () => {
  const tokens = new SupportTokens({ secret: randomBytes(32), now: () => new Date('2026-03-01T12:00:00Z') });

  it('holds for its user and suggestion only, and not once changed or garbled', () => {
    const token = tokens.issue('user-1', 'FF-2026-0001');
    expect(tokens.check(token, 'user-1', 'FF-2026-0001')).toBe('valid');
    expect(tokens.check(token, 'user-2', 'FF-2026-0001')).toBe('invalid');
    expect(tokens.check(token, 'user-1', 'FF-2026-0002')).toBe('invalid');
    const [expires, signature] = token.split('.') as [string, string];
    expect(tokens.check(`${Number(expires) + 86_400}.${signature}`, 'user-1', 'FF-2026-0001')).toBe('invalid');
    for (const garbled of ['', '.', expires, `${expires}.`, `${expires}.${signature}x`, `x${token}`])
      expect(tokens.check(garbled, 'user-1', 'FF-2026-0001'), garbled).toBe('invalid');
  });

  it('is signed with a key of its own: another key makes it worthless', () => {
    const token = tokens.issue('user-1', 'FF-2026-0001');
    expect(new SupportTokens({ secret: randomBytes(32), now: () => new Date('2026-03-01T12:00:00Z') }).check(token, 'user-1', 'FF-2026-0001')).toBe('invalid');
    expect(() => new SupportTokens({ secret: randomBytes(16) })).toThrow(/at least 32 bytes/);
  });
});

describe('who may see the channel registrations', () => {
  let listing: ChannelRegistrationListing;
  const registration = (process: string, unit: string | null, channelName: string): ChannelRegistration => ({
    process,
    unit,
    conversationId: `19:${randomUUID()}@thread.tacv2`,
    reference: {},
    channelName,
    registeredBy: 'gry-lene.johansen@ntnu.example',
    registeredAt: new Date().toISOString(),
  });

  beforeAll(async () => {
    const index = await seededDirectoryIndex();
    const store = await TableChannelRegistrationStore.open(testConnectionString(), `${uniqueTablePrefix('reglist')}registrations`);
    await store.save(registration('BTB', 'IE', 'btb-ie'));
    await store.save(registration('BTB', null, 'btb-managers'));
    await store.save(registration('FTI', null, 'fti'));
    listing = new ChannelRegistrationListing({ store, coordinators: COORDINATORS, directory: () => index });
  });

  const channels = async (viewer: Actor) => {
    const result = await listing.visibleTo(viewer);
    return result.kind === 'listed' ? result.registrations.map((registration) => registration.channelName) : result.kind;
  };

  it('shows every registration to a coordinator, those of their processes to a process manager, and none to anyone else', async () => {
    expect(await channels(CONFIGURED_COORDINATOR)).toEqual(['btb-managers', 'btb-ie', 'fti']);
    expect(await channels(DIRECTORY_COORDINATOR)).toEqual(['btb-managers', 'btb-ie', 'fti']);
    expect(await channels(BTB_MANAGER)).toEqual(['btb-managers', 'btb-ie']);
    expect(await channels(FTI_MANAGER)).toEqual(['fti']);
    // A process advisor registers nothing, and so sees nothing.
    expect(await channels(ADVISOR)).toBe('refused');
    expect(await channels(OUTSIDER)).toBe('refused');
    expect(await channels({ id: 'no-email', name: 'Uten e-post' })).toBe('refused');
  });
});

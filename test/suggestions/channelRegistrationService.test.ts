import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import type { Actor } from '../../src/core/actor';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { ChannelRegistrationService, type AskingChannel } from '../../src/suggestions/channelRegistrationService';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const CONFIGURED_COORDINATOR: Actor = { id: 'ida', name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
/** The directory names her forvaltningskoordinator. */
const DIRECTORY_COORDINATOR: Actor = { id: 'gry', name: 'Gry-Lene Johansen', email: 'gry-lene.johansen@ntnu.example' };
/** Prosessansvarlig for BTB (a process with advisors at units). */
const BTB_MANAGER: Actor = { id: 'lene', name: 'Lene Kristiansen', email: 'lene.kristiansen@ntnu.example' };
/** Prosessansvarlig for LONN (advised by the service centre). */
const LONN_MANAGER: Actor = { id: 'sindre', name: 'Sindre Eide', email: 'sindre.eide@ntnu.example' };
const ADVISOR: Actor = { id: 'audun', name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };
const OUTSIDER: Actor = { id: 'ola', name: 'Ola Utenfor', email: 'ola.utenfor@ntnu.example' };

const CHANNEL: AskingChannel = {
  conversationId: '19:btb-iik@thread.tacv2;messageid=1700000000000',
  reference: { conversation: { id: '19:btb-iik@thread.tacv2', conversationType: 'channel' }, serviceUrl: 'https://smba.example/' },
  name: 'Økonomi › BTB IIK',
};

describe('channel registrations, with Azurite', () => {
  let index: DirectoryIndex;
  let store: TableChannelRegistrationStore;
  let service: ChannelRegistrationService;
  const now = new Date('2026-12-03T12:00:00.000Z');

  beforeAll(async () => {
    index = await seededDirectoryIndex();
  });

  beforeEach(async () => {
    store = await TableChannelRegistrationStore.open(testConnectionString(), `${uniqueTablePrefix('chreg')}registrations`);
    service = new ChannelRegistrationService({ store, directory: () => index, coordinators: new Set([CONFIGURED_COORDINATOR.email ?? '']), clock: () => now });
  });

  describe('registering the channel asked from', () => {
    it('stores the channel (not the thread) for the process at the unit, with who did it and when', async () => {
      const result = await service.register(CONFIGURED_COORDINATOR, { process: 'BTB', unit: 'IIK' }, CHANNEL);
      expect(result).toMatchObject({ kind: 'registered', process: { code: 'BTB' }, unit: 'IIK', forProcessManagers: false });
      expect(await store.find('BTB', 'IIK')).toEqual({
        process: 'BTB',
        unit: 'IIK',
        conversationId: '19:btb-iik@thread.tacv2',
        reference: CHANNEL.reference,
        channelName: 'Økonomi › BTB IIK',
        registeredBy: CONFIGURED_COORDINATOR.email,
        registeredAt: now.toISOString(),
      });
    });

    it("makes a local process's channel without a unit the process managers' one", async () => {
      expect(await service.register(BTB_MANAGER, { process: 'BTB', unit: null }, CHANNEL)).toMatchObject({ kind: 'registered', unit: null, forProcessManagers: true });
      expect(await store.find('BTB', null)).not.toBeNull();
    });

    it('ignores a unit where advisors do not sit at units: the whole process has one channel', async () => {
      const result = await service.register(LONN_MANAGER, { process: 'LONN', unit: 'IIK' }, CHANNEL);
      expect(result).toMatchObject({ kind: 'registered', process: { code: 'LONN' }, unit: null, forProcessManagers: false });
      expect((await store.list()).map((registration) => [registration.process, registration.unit])).toEqual([['LONN', null]]);
    });

    it('lets the directory-named coordinator and the process manager of the process register', async () => {
      expect((await service.register(DIRECTORY_COORDINATOR, { process: 'LONN', unit: null }, CHANNEL)).kind).toBe('registered');
      expect((await service.register(BTB_MANAGER, { process: 'BTB', unit: 'IIK' }, CHANNEL)).kind).toBe('registered');
    });

    it('refuses anyone else, a process manager of another process included, and stores nothing', async () => {
      for (const actor of [OUTSIDER, ADVISOR, LONN_MANAGER, { id: 'no-email', name: 'Uten e-post' }]) {
        expect(await service.register(actor, { process: 'BTB', unit: 'IIK' }, CHANNEL)).toEqual({ kind: 'refused', code: 'not-allowed' });
      }
      expect(await store.list()).toEqual([]);
    });

    it('refuses outside a channel, after the permission check', async () => {
      expect(await service.register(CONFIGURED_COORDINATOR, { process: 'BTB', unit: 'IIK' }, null)).toEqual({ kind: 'refused', code: 'not-in-channel' });
      // An outsider is told they may not, wherever they ask.
      expect(await service.register(OUTSIDER, { process: 'BTB', unit: 'IIK' }, null)).toEqual({ kind: 'refused', code: 'not-allowed' });
      expect(await store.list()).toEqual([]);
    });

    it('needs a process the directory has', async () => {
      expect(await service.register(CONFIGURED_COORDINATOR, { process: null, unit: 'IIK' }, CHANNEL)).toEqual({
        kind: 'invalid',
        problems: [{ field: 'process', code: 'missing' }],
      });
      expect(await service.register(CONFIGURED_COORDINATOR, { process: 'NOSUCH', unit: null }, CHANNEL)).toEqual({
        kind: 'invalid',
        problems: [{ field: 'process', code: 'unknown' }],
      });
      expect(await store.list()).toEqual([]);
    });
  });

  describe('removing a registration', () => {
    it('removes it from anywhere, and says when there was none', async () => {
      await service.register(CONFIGURED_COORDINATOR, { process: 'BTB', unit: 'IIK' }, CHANNEL);
      expect(await service.unregister(BTB_MANAGER, { process: 'BTB', unit: 'IIK' })).toMatchObject({ kind: 'unregistered', process: { code: 'BTB' }, unit: 'IIK', removed: true });
      expect(await service.unregister(BTB_MANAGER, { process: 'BTB', unit: 'IIK' })).toMatchObject({ kind: 'unregistered', removed: false });
      expect(await store.list()).toEqual([]);
    });

    it('applies the unit rule as registering does', async () => {
      await service.register(LONN_MANAGER, { process: 'LONN', unit: null }, CHANNEL);
      expect(await service.unregister(LONN_MANAGER, { process: 'LONN', unit: 'IIK' })).toMatchObject({ kind: 'unregistered', unit: null, removed: true });
    });

    it('refuses anyone who may not register it, and needs a known process', async () => {
      await service.register(CONFIGURED_COORDINATOR, { process: 'BTB', unit: 'IIK' }, CHANNEL);
      for (const actor of [OUTSIDER, ADVISOR, LONN_MANAGER]) {
        expect(await service.unregister(actor, { process: 'BTB', unit: 'IIK' })).toEqual({ kind: 'refused', code: 'not-allowed' });
      }
      expect(await service.unregister(CONFIGURED_COORDINATOR, { process: null, unit: 'IIK' })).toEqual({ kind: 'invalid', problems: [{ field: 'process', code: 'missing' }] });
      expect(await service.unregister(CONFIGURED_COORDINATOR, { process: 'NOSUCH', unit: 'IIK' })).toEqual({ kind: 'invalid', problems: [{ field: 'process', code: 'unknown' }] });
      expect(await store.find('BTB', 'IIK')).not.toBeNull();
    });
  });

  it('shows every registration to coordinators, their processes’ to process managers, and refuses anyone else', async () => {
    await service.register(CONFIGURED_COORDINATOR, { process: 'BTB', unit: 'IIK' }, CHANNEL);
    await service.register(CONFIGURED_COORDINATOR, { process: 'LONN', unit: null }, CHANNEL);
    const processes = async (actor: Actor) => {
      const listing = await service.visibleTo(actor);
      return listing.kind === 'listed' ? listing.registrations.map((registration) => registration.process) : listing.kind;
    };
    expect(await processes(CONFIGURED_COORDINATOR)).toEqual(['BTB', 'LONN']);
    expect(await processes(BTB_MANAGER)).toEqual(['BTB']);
    expect(await processes(OUTSIDER)).toBe('refused');
  });
});

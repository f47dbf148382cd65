import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableAdvisorQuestionStore } from '../../src/advisorQuestions/advisorQuestionStore';
import type { RunningApp } from '../../src/app';
import { ANONYMISED_ACTOR } from '../../src/core/actor';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { startAppWithBotIdentity, startLocalIdentityProvider, type LocalIdentityProvider } from '../support/tabTokens';

/** The Forvaltning tab's list of questions to the advisors, over HTTP on the real app against Azurite. */

const COORDINATOR = { id: randomUUID(), name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const EMPLOYEE = { id: randomUUID(), name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
const ADVISOR = { id: randomUUID(), name: 'Audun Brekke', email: 'audun.brekke@ntnu.example' };

type QuestionList = { states: { code: string; name: string }[]; questions: Record<string, unknown>[] };

describe("the Forvaltning tab's list of questions to the advisors", () => {
  let idp: LocalIdentityProvider;
  let app: RunningApp;
  const ids: string[] = [];

  const call = async (url: string, token: string | null, language = 'nb') => {
    const response = await fetch(`${app.url}${url}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': language } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown> };
  };

  beforeAll(async () => {
    idp = await startLocalIdentityProvider();
    const prefix = uniqueTablePrefix('tabq');
    app = await startAppWithBotIdentity({ tablePrefix: prefix, identityProvider: idp, environment: { COORDINATORS: COORDINATOR.email, TAB_TENANT_ID: idp.tenantId } });
    const store = await TableAdvisorQuestionStore.open(testConnectionString(), `${prefix}advisorquestions`);
    const route = { target: { kind: 'people' as const, people: [{ name: ADVISOR.name, email: ADVISOR.email }], label: 'Audun Brekke' }, level: 'local' as const, unitCode: 'IE' };
    for (const [process, asker, at] of [
      ['BTB', EMPLOYEE, '2026-02-02T09:00:00Z'],
      ['LONN', ANONYMISED_ACTOR, '2026-03-02T09:00:00Z'],
    ] as const) {
      const { stored } = await store.create({
        draft: { process, unit: 'IDI', text: `Hvordan ${process}?`, shareable: process === 'BTB' },
        asker,
        route,
        now: new Date(at),
        language: 'nb',
        idempotencyKey: randomUUID(),
      });
      ids.push(stored.question.id);
      if (process === 'BTB') {
        const answeredAt = '2026-02-03T10:00:00Z';
        await store.update(
          {
            ...stored.question,
            state: 'answered',
            answer: { text: 'Bruk malen.', by: ADVISOR, at: answeredAt },
            history: [...stored.question.history, { at: answeredAt, by: ADVISOR, action: 'answer', from: 'submitted', to: 'answered', comment: 'Bruk malen.' }],
          },
          stored.etag,
        );
      }
    }
  });
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  it('lists the questions, newest first, with where each stands and its answer, to a coordinator', async () => {
    const response = await call('/tabs/api/admin/questions', await idp.token(COORDINATOR));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { questions, states } = response.body as unknown as QuestionList;
    expect(questions.map((question) => question.id)).toEqual([...ids].reverse());
    expect(questions[1]).toMatchObject({
      text: 'Hvordan BTB?',
      process: 'Behov til betaling',
      stateLabel: 'Besvart',
      asker: 'Kari Ansatt',
      shareable: true,
      answer: { text: 'Bruk malen.', by: 'Audun Brekke' },
    });
    // Someone who deleted their data is not named.
    expect(questions[0]?.asker).not.toBe('Kari Ansatt');
    expect(states.map((state) => state.code)).toContain('answered');

    const english = (await call('/tabs/api/admin/questions?processes=LONN', await idp.token(COORDINATOR), 'en-GB')).body as unknown as QuestionList;
    expect(english.questions.map((question) => question.id)).toEqual([ids[1]]);
    expect(english.questions[0]?.stateLabel).toBe('New');
    const february = (await call('/tabs/api/admin/questions?from=2026-02-01&to=2026-02-28', await idp.token(COORDINATOR))).body as unknown as QuestionList;
    expect(february.questions.map((question) => question.id)).toEqual([ids[0]]);
  });

  it('refuses anyone but a coordinator, an unsigned request and a malformed filter', async () => {
    const employee = await call('/tabs/api/admin/questions', await idp.token(EMPLOYEE));
    expect(employee.status).toBe(403);
    expect(employee.body.error).toBe('not-coordinator');
    expect(JSON.stringify(employee.body)).not.toContain('Hvordan');
    expect((await call('/tabs/api/admin/questions', null)).status).toBe(401);
    const malformed = await call('/tabs/api/admin/questions?from=yesterday', await idp.token(COORDINATOR));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('bad-request');
  });

  it('lets a coordinator edit, hide and promote a shared answer, refusing others, bad bodies, unknown and stale versions', async () => {
    const patch = async (id: string, token: string | null, body: unknown) => {
      const response = await fetch(`${app.url}/tabs/api/admin/questions/${id}`, {
        method: 'PATCH',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', 'accept-language': 'nb' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { question?: { version: string; answer: { text: string }; curation: unknown }; error?: string } };
    };
    const coordinator = await idp.token(COORDINATOR);
    const [answered, unshared] = ids as [string, string];
    const edited = await patch(answered, coordinator, { action: 'edit', text: 'Bruk den nye malen.' });
    expect(edited.status).toBe(200);
    expect(edited.body.question).toMatchObject({ answer: { text: 'Bruk malen.' }, curation: { text: 'Bruk den nye malen.', hidden: false, standing: false } });
    const version = edited.body.question?.version ?? '';
    expect((await patch(answered, coordinator, { action: 'promote', basedOn: version })).body.question).toMatchObject({ curation: { standing: true } });
    expect(await patch(answered, coordinator, { action: 'hide', basedOn: version })).toMatchObject({ status: 409, body: { error: 'conflict' } });
    expect((await patch(answered, coordinator, { action: 'hide' })).body.question).toMatchObject({ curation: { hidden: true, standing: true } });
    const listed = (await call('/tabs/api/admin/questions', coordinator)).body as unknown as QuestionList;
    expect(listed.questions.find((question) => question.id === answered)).toMatchObject({ curation: { text: 'Bruk den nye malen.', hidden: true, standing: true } });

    expect((await patch(answered, await idp.token(EMPLOYEE), { action: 'unhide' })).status).toBe(403);
    expect((await patch(answered, null, { action: 'unhide' })).status).toBe(401);
    expect((await patch(answered, coordinator, { action: 'delete' })).status).toBe(400);
    expect((await patch(answered, coordinator, { action: 'edit', text: 'x'.repeat(2001) })).status).toBe(400);
    expect((await patch(answered, coordinator, { action: 'edit', text: '  ' })).status).toBe(400);
    expect((await patch('SP-1999-9999', coordinator, { action: 'hide' })).status).toBe(404);
    expect(await patch(unshared, coordinator, { action: 'promote' })).toMatchObject({ status: 409, body: { error: 'not-shareable' } });
  });
});

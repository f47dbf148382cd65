import { describe, expect, it } from 'vitest';
import { renderCard } from '../../src/teams/cards/renderCard';

const template = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${title}' }] };

describe('renderCard', () => {
  it('gives the same card for the same data, as a copy of its own each time', () => {
    const first = renderCard(template, { title: 'PBO ved IFY' });
    (first.content as { body: unknown[] }).body.push({ type: 'TextBlock', text: 'added by a caller' });
    const second = renderCard(template, { title: 'PBO ved IFY' });
    expect(second.content).toEqual({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'PBO ved IFY' }] });
  });

  it('expands other data afresh', () => {
    expect(renderCard(template, { title: 'Btb ved IIK' }).content).toMatchObject({ body: [{ text: 'Btb ved IIK' }] });
    expect(renderCard(template, { title: 'Btb ved IMF' }).content).toMatchObject({ body: [{ text: 'Btb ved IMF' }] });
  });
});

import { PERSONAL_DATA_KINDS } from '../../src/privacy/personalDataHolder';
import { describe, expect, it } from 'vitest';
import {
  advisorQuestionTexts,
  announcementTexts,
  chatTexts,
  directoryImportTexts,
  eventTexts,
  followUpTexts,
  messageExtensionTexts,
  privacyTexts,
  suggestionTexts,
  tabTexts,
} from '../../src/i18n';
import type { ReplyLanguage } from '../../src/i18n';

/**
 * The nynorsk texts are a translation of the bokmål ones: the same keys, every
 * value and parameter kept, most of the wording different, and no bokmål-only
 * words. Functions are compared by what they return for the same arguments.
 */

const MODULES: Record<string, (language: ReplyLanguage) => unknown> = {
  chat: chatTexts,
  suggestions: suggestionTexts,
  suggestionFollowUp: followUpTexts,
  directoryImport: directoryImportTexts,
  events: eventTexts,
  announcements: announcementTexts,
  messageExtension: messageExtensionTexts,
  privacy: privacyTexts,
  tabs: tabTexts,
  advisorQuestions: advisorQuestionTexts,
};

/** Words only bokmål uses; in a nynorsk text they are a sentence left untranslated. */
const BOKMAL_ONLY = new Set([
  'hvem',
  'hva',
  'hvor',
  'hvordan',
  'hvilken',
  'hvilke',
  'hvis',
  'ikke',
  'jeg',
  'noe',
  'noen',
  'mer',
  'bare',
  'ennå',
  'allerede',
  'fra',
  'enhet',
  'enheten',
  'enheter',
  'enhetene',
  'rådgiver',
  'rådgiveren',
  'rådgivere',
  'prosessrådgiver',
  'prosessrådgiveren',
  'prosessrådgivere',
  'forbedring',
  'forbedringsforslag',
  'forbedringsforslaget',
  'ansvarlig',
  'prosessansvarlig',
  'ansatt',
  'dere',
  'hun',
  'uke',
  'lenke',
  'lenken',
  'lenkene',
  'beskrivelse',
  'sted',
  'navn',
  'navnet',
  'tegn',
  'fortsatt',
  'ble',
  'velg',
  'finnes',
  'mangler',
  'gjelder',
  'kommer',
  'vet',
  'sier',
  'gjør',
  'dem',
  'deres',
  'egen',
  'eget',
  'egne',
  'nå',
  'lagret',
  'endret',
  'slettet',
  'fjernet',
  'påminnelse',
  'kunngjøring',
  'kunngjøringen',
  'kunngjøringer',
]);
/** Names that keep their bokmål spelling in nynorsk text (domain.md: the units and systems are named as they are). */
const PROPER_NAMES = [/Tjenestesenteret/g, /Selvbetjeningsportalen/g, /Vitenskapsmuseet/g, /Behov til betaling/g];

type Sample = string | number | null | readonly string[] | Record<string, unknown>;

/** Arguments by parameter name; `⟦name⟧` marks where a string argument must show up in the text. */
function sampleFor(name: string, numbers: number, nulls: boolean): Sample {
  if (['items', 'allowed', 'cycle'].includes(name)) return [`⟦${name}1⟧`, `⟦${name}2⟧`];
  if (name === 'report') {
    const ids = (label: string) => Array.from({ length: numbers }, (_, index) => `${label}-${index}`);
    return {
      ...Object.fromEntries(PERSONAL_DATA_KINDS.map((kind) => [kind, ids(kind)])),
      suggestions: ['⟦FF-1⟧', '⟦FF-2⟧'].slice(0, numbers === 1 ? 1 : 2),
    };
  }
  if (['count', 'limit', 'days', 'minutes', 'failed', 'week', 'year', 'sent', 'total', 'remaining', 'updated', 'attempts', 'max', 'expected', 'actual', 'firstLine'].includes(name))
    return numbers;
  if (nulls && ['process', 'unit', 'suggestion', 'author', 'before', 'after', 'comment', 'kind', 'role'].includes(name)) return null;
  return `⟦${name}⟧`;
}

/** The parameter names of a function, from its source: "(a, b) =>", "({ a, b }) =>", "a =>". */
function parametersOf(fn: (...args: never[]) => unknown): Array<string | string[]> {
  const source = fn.toString();
  const list = /^(?:function\s*\w*\s*)?\(([^)]*)\)/.exec(source)?.[1] ?? /^(\w+)\s*=>/.exec(source)?.[1] ?? '';
  const destructured = /^\s*\{([^}]*)\}\s*$/.exec(list);
  if (destructured?.[1] !== undefined)
    return [
      destructured[1]
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ];
  return list
    .split(',')
    .map((part) => part.replace(/=.*$/, '').trim())
    .filter(Boolean);
}

function argumentsFor(fn: (...args: never[]) => unknown, numbers: number, nulls: boolean): Sample[] {
  return parametersOf(fn).map((parameter) =>
    Array.isArray(parameter) ? Object.fromEntries(parameter.map((name) => [name, sampleFor(name, numbers, nulls)])) : sampleFor(parameter, numbers, nulls),
  );
}

type Text = string | ((...args: never[]) => unknown);

/** Every text of a module (or of what a function returned) by its path: strings, and functions still to call. */
function flatten(value: unknown, path = ''): Map<string, Text> {
  const texts = new Map<string, Text>();
  if (typeof value === 'string' || typeof value === 'function') texts.set(path, value as Text);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) for (const [childPath, text] of flatten(child, `${path}.${key}`)) texts.set(childPath, text);
  }
  return texts;
}

/**
 * The texts of both languages side by side. A function is called the same ways
 * in both (singular and plural counts, with and without the optional values);
 * a way the bokmål function cannot be called (null where it needs a name) is skipped.
 */
function pair(nb: unknown, nn: unknown, path = ''): Array<{ path: string; nb: string; nn: string }> {
  const nbTexts = flatten(nb, path);
  const nnTexts = flatten(nn, path);
  expect([...nnTexts.keys()].sort()).toEqual([...nbTexts.keys()].sort());
  const pairs: Array<{ path: string; nb: string; nn: string }> = [];
  for (const [key, nbText] of nbTexts) {
    const nnText = nnTexts.get(key);
    if (typeof nbText === 'string') {
      expect(typeof nnText, key).toBe('string');
      pairs.push({ path: key, nb: nbText, nn: String(nnText) });
      continue;
    }
    expect(typeof nnText, key).toBe('function');
    for (const numbers of [1, 5]) {
      for (const nulls of [false, true]) {
        const args = argumentsFor(nbText, numbers, nulls) as never[];
        let nbResult: unknown;
        try {
          nbResult = nbText(...args);
        } catch {
          continue;
        }
        pairs.push(...pair(nbResult, (nnText as (...args: never[]) => unknown)(...args), `${key}(${numbers}${nulls ? ', null' : ''})`));
      }
    }
  }
  return pairs;
}

/** What a translation must keep: the arguments it shows, `{name}` slots for the tabs, and numbers. */
function kept(text: string): string[] {
  return [...text.matchAll(/⟦[^⟧]+⟧|\{\w+\}|\d+/g)].map((match) => match[0]).sort();
}

/** The words of a text, leaving out the arguments and the names that keep their bokmål spelling. */
function words(text: string): string[] {
  const withoutNames = PROPER_NAMES.reduce((rest, name) => rest.replace(name, ' '), text.replace(/⟦[^⟧]+⟧/g, ' '));
  return withoutNames
    .toLowerCase()
    .split(/[^a-zæøåé]+/)
    .filter(Boolean);
}

describe.each(Object.entries(MODULES))('the nynorsk %s texts', (_name, textsIn) => {
  const texts = pair(textsIn('nb'), textsIn('nn'));

  it('have every text of the bokmål module, none empty', () => {
    expect(texts.length).toBeGreaterThan(3);
    for (const { path, nb, nn } of texts) expect(nn.trim().length > 0, path).toBe(nb.trim().length > 0);
  });

  it('are translated, not copied: most texts differ from bokmål', () => {
    // A function counts once, as translated when any of its results differs.
    const byText = new Map<string, { differs: boolean; sentence: boolean }>();
    for (const { path, nb, nn } of texts) {
      const key = path.replace(/\(.*$/, '');
      const seen = byText.get(key) ?? { differs: false, sentence: false };
      byText.set(key, { differs: seen.differs || nb !== nn, sentence: seen.sentence || words(nb).length >= 6 });
    }
    const all = [...byText.values()];
    const sentences = all.filter((text) => text.sentence);
    // Short labels ("Status", "Kurs", "Ja") are the same in both, and so is a sentence now and then; most are not.
    expect(all.filter((text) => text.differs).length / all.length).toBeGreaterThanOrEqual(0.5);
    expect(sentences.filter((text) => text.differs).length / sentences.length).toBeGreaterThanOrEqual(0.85);
  });

  it('keep every argument, {slot} and number of the bokmål text', () => {
    for (const { path, nb, nn } of texts) expect(kept(nn), path).toEqual(kept(nb));
  });

  it('leave no placeholder or bokmål-only word behind', () => {
    for (const { path, nn } of texts) {
      expect(nn, path).not.toMatch(/TODO|FIXME|XXX|TBD|\[nb\]|\[nn\]|undefined|\[object Object\]/);
      expect(
        words(nn).filter((word) => BOKMAL_ONLY.has(word)),
        `${path}: ${nn}`,
      ).toEqual([]);
    }
  });
});

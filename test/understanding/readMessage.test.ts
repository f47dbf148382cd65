import { beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { detectWrittenLanguage, replyLanguage } from '../../src/language/detectLanguage';
import { fold, tokenize } from '../../src/language/text';
import { tokenMatchQuality } from '../../src/understanding/tokenMatch';
import { Understander } from '../../src/understanding/understandTurn';
import { seededDirectoryIndex } from '../support/seededDirectory';

describe('text folding', () => {
  it('makes case, diacritics and Norwegian spelling variants equal', () => {
    expect(fold('ØKONOMI')).toBe(fold('okonomi'));
    expect(fold('ISØ')).toBe(fold('ISOE'));
    expect(fold('Ålesund')).toBe(fold('Aalesund'));
    expect(fold('prosessrådgiver')).toBe(fold('prosessradgiver'));
    expect(tokenize('IT-avdelingen, NTNU-HHS!')).toEqual(['it', 'avdelingen', 'ntnu', 'hhs']);
  });
});

describe('word matching', () => {
  it('accepts typos and inflections of longer words only', () => {
    expect(tokenMatchQuality('prossesradgiver', 'prosessradgiver')).toBeGreaterThan(0);
    expect(tokenMatchQuality('budsjettet', 'budsjett')).toBeGreaterThan(0);
    expect(tokenMatchQuality('fysik', 'fysikk')).toBeGreaterThan(0);
    expect(tokenMatchQuality('ida', 'idi')).toBe(0);
    expect(tokenMatchQuality('kjemi', 'kjemisk')).toBe(0);
  });
});

describe('language of a message', () => {
  it('tells bokmål, nynorsk and English apart', () => {
    expect(detectWrittenLanguage('hvem er prosessrådgiver for Btb hos oss?')).toBe('nb');
    expect(detectWrittenLanguage('kven er prosessrådgjevar for innkjøp ved fysikk?')).toBe('nn');
    // "melder" and "feil" are nynorsk as well as bokmål, so they do not outweigh "kvar" and "eg".
    expect(detectWrittenLanguage('Kvar melder eg feil i Unit4?')).toBe('nn');
    expect(detectWrittenLanguage('Hvor melder jeg feil i Unit4?')).toBe('nb');
    expect(detectWrittenLanguage('who is the process manager for PBO?')).toBe('en');
    expect(detectWrittenLanguage('PBO IIK')).toBeNull();
    // Words both write alike count for both: the one nynorsk word of a short follow-up tells it.
    expect(detectWrittenLanguage('kva med IKJ?')).toBe('nn');
    expect(detectWrittenLanguage('hva med IKJ?')).toBe('nb');
  });

  it('replies in the written form of the message, follows the locale when the message does not tell, and defaults to bokmål', () => {
    expect(replyLanguage('kven er prosessrådgjevar for Btb?', 'en-US')).toBe('nn');
    expect(replyLanguage('hvem er prosessrådgiver for Btb?', 'nn-NO')).toBe('nb');
    expect(replyLanguage('PBO IIK', 'en-GB')).toBe('en');
    expect(replyLanguage('PBO IIK', 'nn-NO')).toBe('nn');
    expect(replyLanguage('PBO IIK', 'nb-NO')).toBe('nb');
    expect(replyLanguage('PBO IIK', undefined)).toBe('nb');
  });
});

describe('understanding a message', () => {
  let interpreter: { understand: (text: string) => ReturnType<Understander['read']> };
  beforeAll(async () => {
    const index: DirectoryIndex = await seededDirectoryIndex();
    const understander = Understander.for(index);
    interpreter = { understand: (text) => understander.read(text) };
  });

  it.each([
    ['hvem er prosessrådgiver for Btb på IDI?', ['IDI'], ['BTB']],
    ['Who is the process advisor for budgeting at the Department of Physics?', ['IFY'], ['PBO']],
    ['kven er prosessrådgjevar for innkjøp ved fysikk', ['IFY'], ['BTB']],
    ['datateknologi reiseregning', ['IDI'], ['LONN']],
    ['hvem er rådgiver for Btb ved ISOE', ['ISØ'], ['BTB']],
    ['hvem er rådgiver for PBO ved IDI på IE', ['IDI'], ['PBO']],
    ['who is the contact for budgeting at the Faculty of Economics', ['ØK'], ['PBO']],
    ['prosessrådgiver ved Tjenestesenteret for lønn og HR', ['TJS'], []],
    // Approving an invoice is a supplier's invoice (Btb); sending one to a customer is billing (Fti).
    ['hvem godkjenner fakturaer ved ISM?', ['ISM'], ['BTB']],
    ['who approves invoices at IDI?', ['IDI'], ['BTB']],
    ['hvem hjelper med godkjenning av faktura på IE?', ['IE'], ['BTB']],
    ['jeg skal sende faktura til en kunde ved IDI', ['IDI'], ['FTI']],
    ['hvem kan hjelpe meg med fakturering ved IDI?', ['IDI'], ['FTI']],
  ])('finds the unit and process in %j', (text, units, processes) => {
    const understood = interpreter.understand(text);
    expect(understood.units).toEqual(units);
    expect(understood.processes).toEqual(processes);
  });

  it('takes a lower-case code that is an English word only, in a Norwegian message', () => {
    expect(interpreter.understand('ie - hvem gir råd om innkjøp?').units).toEqual(['IE']);
    expect(interpreter.understand('hvem er rådgiver for budsjett ved it').units).toEqual(['IT']);
    // In English it is the word.
    expect(interpreter.understand('who is it for budgets?').units).toEqual([]);
    expect(interpreter.understand('i.e. who is the advisor for budgets?').units).toEqual([]);
  });

  it('does not take ordinary words for unit or process codes', () => {
    const understood = interpreter.understand('is it ok to ask per e-mail about andre ting?');
    expect(understood.units).toEqual([]);
    expect(understood.processes).toEqual([]);
    expect(interpreter.understand('is it ok to ask about PER at IT').units).toEqual(['IT']);
    expect(interpreter.understand('is it ok to ask about PER at IT').processes).toEqual(['PER']);
  });

  it('recognises roles, including descriptive forms', () => {
    expect(interpreter.understand('who is the process manager for PBO?').roles).toEqual(['prosessansvarlig']);
    expect(interpreter.understand('Hvem leder innføringen av prosjektsøknadsmodulen?').roles).toEqual(['innforingsleder']);
    expect(interpreter.understand('hvem er forvaltningskoordinatoren?').roles).toEqual(['forvaltningskoordinator']);
  });

  it('recognises statements and questions about the own unit', () => {
    expect(interpreter.understand('jeg jobber på IDI')).toMatchObject({ statesOwnUnit: true, units: ['IDI'] });
    expect(interpreter.understand('I work at the Department of Physics')).toMatchObject({ statesOwnUnit: true, units: ['IFY'] });
    expect(interpreter.understand('min enhet er IDI')).toMatchObject({ statesOwnUnit: true });
    expect(interpreter.understand('hvilken enhet er jeg registrert på?')).toMatchObject({ asksOwnUnit: true, statesOwnUnit: false });
    expect(interpreter.understand('hvem er prosessrådgiver for Btb på mitt institutt?')).toMatchObject({ mentionsOwnUnit: true, units: [] });
    expect(interpreter.understand('who is my PBO advisor?')).toMatchObject({ mentionsOwnUnit: true });
  });

  it('marks an unknown unit instead of guessing, with the closest units', () => {
    const unknown = interpreter.understand('hvem er rådgiver for btb ved Institutt for romfart');
    expect(unknown.units).toEqual([]);
    expect(unknown.unknownUnitText).toBe('Institutt for romfart');
    const unclear = interpreter.understand('hvem er rådgiver for btb ved helsevitenskap');
    expect(unclear.units).toEqual([]);
    expect(unclear.unitCandidates).toEqual(expect.arrayContaining(['IHG', 'IHA']));
  });

  it('reads plural domain words as themselves, not as typos of role names', () => {
    const understood = interpreter.understand('hvilke prosesser finnes?');
    expect(understood.roles).toEqual([]);
    expect(understood.asksProcessList).toBe(true);
  });

  it('recognises error reports, role descriptions and help', () => {
    expect(interpreter.understand('hvor melder jeg feil i Unit4?')).toMatchObject({ reportsError: true, systems: ['unit4'] });
    expect(interpreter.understand('DFØ-appen virker ikke')).toMatchObject({ reportsError: true, systems: ['dfoApp'] });
    expect(interpreter.understand('hva gjør en prosessansvarlig?')).toMatchObject({ asksMeaning: true, roles: ['prosessansvarlig'] });
    expect(interpreter.understand('hjelp').asksHelp).toBe(true);
  });
});

describe('a unit only from a real mention', () => {
  let read: (text: string) => ReturnType<Understander['read']>;
  beforeAll(async () => {
    const understander = Understander.for(await seededDirectoryIndex());
    read = (text) => understander.read(text);
  });

  it.each(['What is the Btb process about?', 'hva blir været i Trondheim i morgen?', 'hvem er rådgiver for Btb på fakultetet?', 'which finance process is this?'])(
    'picks no unit from %j',
    (text) => {
      expect(read(text).units).toEqual([]);
    },
  );

  it('asks rather than picks when a town or a word fits several units', () => {
    expect(read('rådgiver for innkjøp i Ålesund').unitCandidates).toEqual(expect.arrayContaining(['IHA', 'IBA']));
    expect(read('who handles purchase to pay at Civil Engineering?').units).toEqual([]);
  });

  it('takes a unit named by a word of its own, or a town with the rest of its name', () => {
    expect(read('rådgiver for Btb ved pedagogikk').units).toEqual(['IPL']);
    expect(read('what about Health Sciences in Gjøvik?').units).toEqual(['IHG']);
  });

  it('marks a unit named as units are, but unknown, instead of a fuzzy match elsewhere', () => {
    const reading = read('Jeg er administrativ leder ved Det odontologiske fakultet. Hvilken rådgiver bruker vi for budsjett?');
    expect(reading.units).toEqual([]);
    expect(reading.unknownUnitText).toBe('odontologiske fakultet');
  });

  it('reads the sentence that asks before the background of a long message', () => {
    const reading = read('I coordinate a research project and our supplier invoices keep bouncing. Who is the process manager for fixed assets?');
    expect(reading.roles).toEqual(['prosessansvarlig']);
    expect(reading.processes).toEqual(['ANL']);
  });
});

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../support/scoreAnswers';

const root = path.resolve(__dirname, '../..');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') || entry.name.endsWith('.json') ? [full] : [];
  });
}

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The product is measured on conversations it has never seen, so it must
 * solve the language, not the list: no message of an evaluation set stands in
 * the code, as a pattern, an example or a comment.
 */
describe('the evaluation sets stay out of the code', () => {
  it('has no message of any evaluation set in src/', () => {
    const evalFolder = path.join(root, 'test', 'eval');
    const turns = readdirSync(evalFolder)
      // The development sets and the conversation sets; the held-out directory set repeats the help card's own examples on purpose.
      .filter((file) => file.endsWith('.jsonl') && file !== 'directory-questions-heldout.jsonl')
      .flatMap((file) => readJsonLines<{ turns: string[] }>(path.join(evalFolder, file)).flatMap((item) => item.turns))
      .map(normalise)
      // Three words or fewer ("og for PBO?") are the language itself, not a phrasing to copy.
      .filter((turn) => turn.split(' ').length > 3);
    expect(turns.length).toBeGreaterThan(150);
    const code = sourceFiles(path.join(root, 'src')).map((file) => ({ file, text: ` ${normalise(readFileSync(file, 'utf8'))} ` }));
    const found = turns.flatMap((turn) => code.filter(({ text }) => text.includes(` ${turn} `)).map(({ file }) => `${path.relative(root, file)}: ${turn}`));
    expect(found).toEqual([]);
  });
});

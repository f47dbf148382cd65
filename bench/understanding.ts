/**
 * How long understanding one chat turn takes (reading the words, every
 * entity, the cues, and choosing one intent), over every turn of the
 * development sets, against the sample directory. The baseline, run in the
 * same process, is tokenising the same messages alone, the least any
 * understanding has to do.
 *
 *   npm run build && node dist/bench/understanding.js
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DirectoryIndex } from '../src/directory/directoryIndex';
import { readDirectorySource } from '../src/directory/import/readDirectorySource';
import { validateDirectory } from '../src/directory/import/validateDirectory';
import { findRepositoryRoot, sampleDirectoryFolder } from '../src/directory/seedDirectory';
import { tokenizeWithOriginal } from '../src/language/text';
import { Understander } from '../src/understanding/understandTurn';
import { chatIntentOrder } from './support/chatIntents';
import { fixed, summarize, table, verdict, type Summary } from './support/stats';

export const TARGETS = { understandTurnMs: 0.5 } as const;

export interface UnderstandingReport {
  turns: number;
  understand: Summary;
  baseline: Summary;
  met: boolean;
}

function developmentTurns(): string[] {
  const folder = path.join(findRepositoryRoot(), 'test', 'eval');
  const turns: string[] = [];
  for (const file of ['directory-questions-dev.jsonl', 'conversation-questions-dev.jsonl']) {
    for (const line of readFileSync(path.join(folder, file), 'utf8').split('\n')) {
      if (line.trim() !== '') turns.push(...(JSON.parse(line) as { turns: string[] }).turns);
    }
  }
  return turns;
}

/** µs per call, each call timed on its own, for at least `minRounds` rounds and `minMs`. */
function timeEach(texts: readonly string[], minRounds: number, minMs: number, call: (text: string) => unknown): number[] {
  const samples: number[] = [];
  const started = performance.now();
  for (let round = 0; round < minRounds || performance.now() - started < minMs; round++) {
    for (const text of texts) {
      const t0 = performance.now();
      call(text);
      samples.push((performance.now() - t0) * 1000);
    }
  }
  return samples;
}

export async function runUnderstanding(log: (line: string) => void = console.log): Promise<UnderstandingReport> {
  const validated = validateDirectory(await readDirectorySource(sampleDirectoryFolder()));
  if (!validated.ok) throw new Error('the sample directory does not validate');
  const understander = Understander.for(new DirectoryIndex(validated.directory));
  const turns = developmentTurns();

  // Warm up both, then time them one after the other in the same process.
  timeEach(turns, 20, 0, (text) => understander.understand(text, chatIntentOrder));
  timeEach(turns, 20, 0, (text) => tokenizeWithOriginal(text));
  const understand = summarize(timeEach(turns, 50, 1500, (text) => understander.understand(text, chatIntentOrder)));
  const baseline = summarize(timeEach(turns, 50, 1500, (text) => tokenizeWithOriginal(text)));
  const met = understand.p99 / 1000 < TARGETS.understandTurnMs;

  log(`Understanding a turn (${turns.length} turns of the development sets, sample directory), µs`);
  log(
    table([
      ['what', 'mean', 'p50', 'p90', 'p99', 'max', 'calls'],
      ...[
        ['understand (read + intent)', understand],
        ['baseline: tokenise only', baseline],
      ].map(([label, s]) => {
        const summary = s as Summary;
        return [label as string, fixed(summary.mean, 1), fixed(summary.p50, 1), fixed(summary.p90, 1), fixed(summary.p99, 1), fixed(summary.max, 0), String(summary.count)];
      }),
    ]),
  );
  log(`ratio understand/baseline (mean): ×${fixed(understand.mean / baseline.mean, 1)}`);
  log(`target: p99 under ${TARGETS.understandTurnMs} ms: ${fixed(understand.p99 / 1000, 3)} ms ${verdict(met)}`);
  return { turns: turns.length, understand, baseline, met };
}

if (require.main === module) {
  runUnderstanding().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * Runs every benchmark and prints a summary against the targets. Benchmarks
 * print numbers; they never fail on a missed target.
 *
 *   npm run bench        (builds, then node dist/bench/run-all.js)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { runBroadcast, TARGETS as BROADCAST_TARGETS, type BroadcastBenchReport } from './broadcast';
import { runMemory, TARGETS as MEMORY_TARGETS, type MemoryReport } from './memory';
import { fixed, megabytes, table, verdict } from './support/stats';
import { runTurnLatency, type TurnLatencyReport } from './turnLatency';
import { runUnderstanding, TARGETS as UNDERSTANDING_TARGETS, type UnderstandingReport } from './understanding';

function summary(latency: TurnLatencyReport, understanding: UnderstandingReport, memory: MemoryReport, broadcast: BroadcastBenchReport, seconds: number): string[] {
  const lines: string[] = [];
  const realAt = (concurrency: number) => latency.results.find((r) => r.bot === 'real' && r.concurrency === concurrency);
  const handleMessage = memory.structures.timings?.generated.handleMessage;
  lines.push('');
  lines.push('================ Summary ================');
  lines.push(
    table([
      ['measure', 'value', 'target', 'verdict'],
      ...latency.targets.map((check) => [check.measure, check.value, check.target, verdict(check.met)]),
      [
        `RSS, app running with ${memory.totalAssignments} assignments (baseline ${megabytes(memory.baseline.memory.rss)})`,
        megabytes(memory.app.memory.rss),
        `< ${megabytes(MEMORY_TARGETS.totalRssBytes)}`,
        verdict(memory.targets.totalRss.met),
      ],
      [
        `understanding one turn, p99 (mean ${fixed(understanding.understand.mean, 0)} µs)`,
        `${fixed(understanding.understand.p99 / 1000, 3)} ms`,
        `< ${UNDERSTANDING_TARGETS.understandTurnMs} ms`,
        verdict(understanding.met),
      ],
      [
        'resolveAdvisors/resolveRoleHolders per question (10k), mean',
        `${fixed(memory.targets.resolution.valueUs, 1)} µs`,
        `< ${MEMORY_TARGETS.resolutionMs} ms`,
        verdict(memory.targets.resolution.met),
      ],
      [
        `broadcast to 5,000 chats: rate as a share of the allowed 50/s, end to end (${fixed(broadcast.clean.seconds, 0)} s)`,
        `${fixed(broadcast.clean.shareOfAllowed * 100, 1)}%`,
        `≥ ${BROADCAST_TARGETS.shareOfAllowedRate * 100}%`,
        verdict(broadcast.clean.shareOfAllowed >= BROADCAST_TARGETS.shareOfAllowedRate),
      ],
      [
        'broadcast: lost / duplicates',
        `${broadcast.clean.lost} / ${broadcast.clean.duplicates}`,
        `${BROADCAST_TARGETS.lost} / ${BROADCAST_TARGETS.duplicates}`,
        verdict(broadcast.clean.lost === BROADCAST_TARGETS.lost && broadcast.clean.duplicates === BROADCAST_TARGETS.duplicates),
      ],
      [
        'broadcast killed half-way: lost / duplicates (sends in flight at the kill)',
        `${broadcast.crash.lost} / ${broadcast.crash.duplicates} (${broadcast.crash.report.possibleDuplicates})`,
        `0 / ≤ in flight`,
        verdict(broadcast.crash.lost === 0 && broadcast.crash.duplicates <= broadcast.crash.report.possibleDuplicates),
      ],
      [
        `broadcast to 2,000 role holders, half installed for through Graph: reached/s (${fixed(broadcast.installation.seconds, 0)} s), lost / duplicates`,
        `${fixed(broadcast.installation.reached / broadcast.installation.seconds, 1)}/s, ${broadcast.installation.lost} / ${broadcast.installation.duplicates}`,
        '0 / 0',
        verdict(broadcast.installation.lost === 0 && broadcast.installation.duplicates === 0),
      ],
      ['handleMessage (understand + resolve) per message (10k), mean / p99', handleMessage ? `${fixed(handleMessage.mean, 0)} / ${fixed(handleMessage.p99, 0)} µs` : '?', '-', '-'],
    ]),
  );
  const c1 = realAt(1);
  const c20 = realAt(20);
  if (c1 && c20) {
    lines.push(
      `real app p50/p99: ${fixed(c1.latency.p50)}/${fixed(c1.latency.p99)} ms at concurrency 1, ${fixed(c20.latency.p50)}/${fixed(c20.latency.p99)} ms at 20 ` +
        `(${fixed(c20.throughput, 0)} turns/s)`,
    );
  }
  lines.push(`all benchmarks took ${fixed(seconds, 1)} s on ${os.cpus().length} cores (1-minute load average now ${fixed(os.loadavg()[0] ?? 0)})`);
  return lines;
}

async function main(): Promise<void> {
  const begun = performance.now();
  console.log(
    `benchmarks: node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
      .loadavg()
      .map((n) => fixed(n))
      .join(' ')}`,
  );
  console.log('');
  const latency = await runTurnLatency();
  console.log('');
  const understanding = await runUnderstanding();
  console.log('');
  const memory = await runMemory();
  console.log('');
  // About four and a half minutes: two deliveries of 5,000 at 50 a second, and a lease takeover.
  const broadcast = await runBroadcast();
  for (const line of summary(latency, understanding, memory, broadcast, (performance.now() - begun) / 1000)) console.log(line);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

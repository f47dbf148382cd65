import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * JSON lines by default (what Azure collects). `pretty`: pino's own pino-pretty, one coloured line per entry for a
 * terminal, written synchronously on the main thread so nothing is lost when `npm start` stops.
 */
export function createLogger(level: pino.LevelWithSilent, format: 'pretty' | 'json' = 'json'): Logger {
  if (format === 'json') return pino({ name: 'okonomi-og-lonn', level });
  const stream = pretty({ colorize: process.stdout.isTTY, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name', errorLikeObjectKeys: ['err'], sync: true });
  return pino({ name: 'okonomi-og-lonn', level }, stream);
}

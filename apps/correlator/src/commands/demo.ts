import type { Command } from 'commander';
import { parseDemoOptions } from '../demo/demo-options.js';
import { DemoInterruptedError, runDemo } from '../demo/run-demo.js';

/** `weft demo [--data DIR] [--orders N] [--seed S] [--rate N] [--duration S] [--port P] [--no-web] [--reset]` (issue #7). */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'Simulate and correlate a day of traffic into an embedded SQLite store, serve the web app on it, and correlate live simulated traffic until stopped',
    )
    .option('--data <dir>', 'data directory (default <repo>/.weft/demo)')
    .option('--orders <n>', 'simulated orders per scenario', '2000')
    .option('--seed <n>', 'simulator seed (same seed, same data)', '1')
    .option(
      '--rate <n>',
      'live traffic: new orders per minute and scenario, correlated live (0: none)',
      '60',
    )
    .option('--duration <seconds>', 'stop by itself after this many seconds, as Ctrl-C would')
    .option('--port <n>', 'web app port on 127.0.0.1 (a free one when taken)', '3000')
    .option(
      '--no-web',
      'without the web app (with --rate 0: prepare the data, print the summary, exit)',
    )
    .option('--reset', 'delete the demo data first and generate it again')
    .action(async (flags: Record<string, unknown>) => {
      const options = parseDemoOptions(flags);
      const stop = stopSignal();
      try {
        await runDemo(options, { out: (line) => console.log(line), now: Date.now, ...stop });
      } catch (error) {
        if (!(error instanceof DemoInterruptedError)) throw error;
        console.log(error.message);
      } finally {
        stop.dispose();
      }
    });
}

/**
 * SIGINT/SIGTERM request a clean stop. One that arrives while the data is
 * being prepared exits at once: SQLite keeps every write transactional, and
 * without its manifest the next run starts the data over. A second one
 * during the clean stop exits at once too (130): what the live runs had not
 * stored is simulated traffic, and the next run continues after its ids.
 */
function stopSignal(): {
  stopRequested: Promise<string>;
  dataReady: () => void;
  dispose: () => void;
} {
  let ready = false;
  let stopping = false;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    onSignal = (signal) => {
      if (!ready) {
        console.log(
          `${signal}: interrupted while preparing the demo data; the next run starts it over`,
        );
        process.exit(0);
      }
      if (stopping) {
        console.log(`${signal} again: exiting without waiting for the clean stop`);
        process.exit(130);
      }
      stopping = true;
      resolve(signal);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopRequested,
    dataReady: () => (ready = true),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

import { reprocessLate } from '@weft/engine';
import type { Enricher } from '@weft/engine';
import { StorageValidationError } from '@weft/storage';
import type { CompiledTemplate, LateRecord } from '@weft/templates';
import { messageOf } from '../errors.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import type { SinkItem } from '../pipeline/index.js';
import type { PendingLate } from './pending-late.js';
import { loadStoredState } from './stored-state.js';
import type { LateStore } from './stored-state.js';

export interface LateWorkerOptions {
  pending: PendingLate;
  store: LateStore;
  /** The template version the live job runs now. */
  compiled: () => CompiledTemplate;
  /** The live job's enricher, so reprocessed sessions are enriched as the job's are. */
  enrich?: Enricher;
  /** Resolves once everything emitted so far is durable in the store. */
  flush: () => Promise<void>;
  /** Queues outputs on the pipeline's writer (the live job's own path). */
  emit: (items: readonly SinkItem[]) => void;
  metrics: CorrelatorMetrics;
  logger: Logger;
  now: () => number;
  /** First delay after a failed store read; doubles up to 10 s. Default 100 ms. */
  retryDelayMs?: number;
}

/**
 * The late-data reprocessor of a live run: once the job's watermark passes a
 * waiting late record's horizon, it waits until the store holds everything
 * the job emitted, reads the stored session(s) by business key or join key,
 * applies the engine's `reprocessLate` (the live job's own assembly code) and
 * queues the new versions, retractions and orphans on the same writer; the
 * record leaves the queue once they are durable, and orphans a session
 * adopted are removed. One record at a time, so the next one reads what the
 * previous one wrote. A store that fails is retried with backoff; a record
 * the store cannot be asked about (a key it cannot index) becomes a dead
 * letter.
 *
 * @example
 * const worker = createLateWorker({ pending, store, compiled: () => compiled, flush, emit, metrics, logger, now });
 * worker.schedule(job.currentWatermark);
 * await worker.pause(); // before a checkpoint; worker.resume() after
 */
export function createLateWorker(options: LateWorkerOptions) {
  const { pending, logger } = options;
  let watermark: number | null = null;
  let running: Promise<void> | undefined;
  let paused = false;

  const readState = async (late: LateRecord, template: CompiledTemplate['template']) => {
    let delay = options.retryDelayMs ?? 100;
    for (;;) {
      try {
        return await loadStoredState(options.store, template, late);
      } catch (error) {
        if (error instanceof StorageValidationError || paused) throw error;
        logger.warn(
          { err: error, delayMs: delay },
          'reading stored sessions for a late record failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(10_000, delay * 2);
      }
    }
  };

  const applyOne = async (late: LateRecord): Promise<void> => {
    const compiled = options.compiled();
    await options.flush();
    let state;
    try {
      state = await readState(late, compiled.template);
    } catch (error) {
      if (!(error instanceof StorageValidationError)) throw error;
      options.emit([
        {
          kind: 'deadLetter',
          deadLetter: {
            templateId: late.templateId,
            source: late.record.source,
            reason: `late_unreadable: cannot look up the stored sessions of this late record: ${messageOf(error)}`,
            raw: JSON.stringify(late),
            origin: {},
            at: options.now(),
          },
        },
      ]);
      return;
    }
    const outcome = reprocessLate(state, late, compiled, options.enrich);
    const items: SinkItem[] = [
      ...outcome.retractions.map((retraction) => ({ kind: 'retraction' as const, retraction })),
      ...outcome.sessions.map((session) => ({ kind: 'session' as const, session })),
      ...(outcome.orphan === null ? [] : [{ kind: 'orphan' as const, orphan: outcome.orphan }]),
    ];
    options.emit(items);
    await options.flush();
    if (outcome.adoptedOrphans.length > 0) {
      await options.store.orphans.remove(
        outcome.adoptedOrphans.map((o) => ({
          templateId: o.templateId,
          node: o.node,
          recordId: o.record.recordId,
        })),
      );
    }
    const result =
      outcome.sessions.length > 0 ? 'applied' : outcome.orphan !== null ? 'orphan' : 'unchanged';
    options.metrics.lateReprocessed.inc({ template: late.templateId, outcome: result });
  };

  const drain = async (): Promise<void> => {
    for (let late = pending.nextReady(watermark); late !== undefined && !paused;) {
      await applyOne(late);
      pending.done(late);
      options.metrics.latePending.set({ template: late.templateId }, pending.size);
      late = pending.nextReady(watermark);
    }
  };

  const kick = (): void => {
    if (running !== undefined || paused || pending.nextReady(watermark) === undefined) return;
    running = drain()
      .catch((error: unknown) => {
        // Left queued: the next watermark move (or the restart's restored queue) retries it.
        if (!paused)
          logger.error({ err: error }, 'late reprocessing failed; the record stays queued');
      })
      .finally(() => {
        running = undefined;
      });
  };

  return {
    /** The job's watermark moved: apply what is now ready. */
    schedule(current: number | null): void {
      watermark = current;
      kick();
    },
    /** Stops after the record in progress (a checkpoint, or the end of the run). */
    async pause(): Promise<void> {
      paused = true;
      await running;
    },
    resume(): void {
      paused = false;
      kick();
    },
    /** Resolves when nothing is being applied (tests, shutdown). */
    idle(): Promise<void> {
      return running ?? Promise.resolve();
    },
  };
}

export type LateWorker = ReturnType<typeof createLateWorker>;

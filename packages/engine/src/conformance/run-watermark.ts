import { CombinedWatermark } from '../watermark/combined-watermark.js';
import type { WatermarkScenario } from './scenario-schema.js';

export interface WatermarkScenarioOutput {
  inspections: { step: number; watermark: number | null }[];
}

/** Runs a `watermark` scenario through the real CombinedWatermark. */
export function runWatermark(scenario: WatermarkScenario): WatermarkScenarioOutput {
  const inspections: WatermarkScenarioOutput['inspections'] = [];
  const watermark = new CombinedWatermark(scenario.config);
  let now = 0;
  for (const [step, s] of scenario.steps.entries()) {
    if ('element' in s) watermark.onElement(s.element.partition, s.element.ts, now);
    else if ('processingTime' in s) {
      now = Math.max(now, s.processingTime);
      watermark.onProcessingTime(now);
    } else inspections.push({ step, watermark: watermark.current });
  }
  return { inspections };
}

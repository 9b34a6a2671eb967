import { z } from 'zod';
import { RANGE_PRESET_NAMES } from '../lib/time-range';
import type { RangePreset } from '../lib/time-range';

/** The dashboards page/API query string; a drill-down is `dim` + `value`. */
export const DashboardParamsSchema = z.object({
  template: z.string().min(1).max(128).optional(),
  range: z
    .enum(RANGE_PRESET_NAMES as [RangePreset, ...RangePreset[]], {
      error: `one of ${RANGE_PRESET_NAMES.join(', ')}`,
    })
    .default('30d'),
  dim: z.string().min(1).max(191).optional(),
  value: z.string().max(500).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type DashboardParams = z.infer<typeof DashboardParamsSchema>;

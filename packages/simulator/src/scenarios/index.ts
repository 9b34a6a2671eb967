import type { Scenario } from '../model.js';
import { bankTransfer } from './bank-transfer.js';
import { inAppPurchase } from './in-app-purchase.js';

/** Every scenario the simulator knows, by id (docs/scenarios.md). */
export const scenarios: Readonly<Record<string, Scenario<never>>> = {
  [inAppPurchase.id]: inAppPurchase as Scenario<never>,
  [bankTransfer.id]: bankTransfer as Scenario<never>,
};

export const scenarioIds = Object.keys(scenarios);

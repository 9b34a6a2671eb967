import path from 'node:path';
import { REPO_ROOT } from './demo-options.js';

/** A simulated scenario and the example template that correlates it. */
export interface DemoScenario {
  scenario: string;
  templateId: string;
  templateFile: string;
}

const EXAMPLES = path.join(REPO_ROOT, 'packages', 'templates', 'examples');

/** The two example scenarios the demo simulates, each with its published template. */
export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  {
    scenario: 'in-app-purchase',
    templateId: 'in-app-purchase',
    templateFile: path.join(EXAMPLES, 'in-app-purchase.json'),
  },
  {
    scenario: 'bank-transfer',
    templateId: 'bank-transfer',
    templateFile: path.join(EXAMPLES, 'bank-transfer.json'),
  },
];

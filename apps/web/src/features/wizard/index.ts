export { STARTER_SAMPLES, starterTemplate } from './lib/starter';
export { addExtractedField, issuesForStep, samplePaths, WIZARD_STEPS } from './lib/wizard-steps';
export type { SamplePath, WizardStepId } from './lib/wizard-steps';

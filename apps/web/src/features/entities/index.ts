export {
  entityFieldKinds,
  entityHref,
  entityKindsOf,
  featureSessionField,
  fieldValueLink,
} from './lib/entity-kinds';
export type { EntityFeatureView, EntityKindView, FieldValueLink } from './lib/entity-kinds';
export { featureChartOption, prepareFeatureCharts } from './lib/prepare-feature-charts';
export type { FeatureChart, FeatureObservation } from './lib/prepare-feature-charts';
export { entityGraphOption, prepareEntityGraph } from './lib/prepare-entity-graph';
export type { EntityGraphView, EntityRef } from './lib/prepare-entity-graph';
export { FeatureCharts } from './components/feature-charts';
export { EntityGraph } from './components/entity-graph';

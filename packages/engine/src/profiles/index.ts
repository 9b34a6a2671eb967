export { ProfileStore } from './profile-store.js';
export type { ProfileStats } from './profile-store.js';
export type { FeatureValue } from './entity-profile.js';
export type { ObservedValues } from './profile-bucket.js';
export { windowBounds } from './profile-layout.js';
export type { WindowBounds } from './profile-layout.js';
export {
  checkProfileSpec,
  DAY,
  DEFAULT_GRANULARITIES,
  DEFAULT_QUERY_LAG,
  HOUR,
  MINUTE,
} from './profile-spec.js';
export type {
  EntitySpec,
  FeatureAggregate,
  FeatureSpec,
  FeatureWindow,
  ProfileSpec,
} from './profile-spec.js';
export { PROFILE_SNAPSHOT_FORMAT, profileSnapshotOf } from './profile-snapshot.js';
export type { ProfileEntityState, ProfileEntry, ProfileSnapshot } from './profile-snapshot.js';
export { DistinctSketch, EXACT_LIMIT, valueHash } from './distinct-sketch.js';
export type { SketchSnapshot } from './distinct-sketch.js';
export { IdentityGraph, IDENTITY_GRAPH_SNAPSHOT_FORMAT } from './identity-graph.js';
export type { EntityRef, IdentityGraphSnapshot } from './identity-graph.js';
export { ProfileQueryTooOldError, UnknownProfileFeatureError } from './profile-errors.js';
export {
  entityFeaturesInOrder,
  profileSpecOf,
  sessionObservations,
  TemplateProfiles,
} from './template-profiles.js';
export type { EntityFeatureValues, SessionObservation } from './template-profiles.js';

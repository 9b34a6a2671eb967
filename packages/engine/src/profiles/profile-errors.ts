import { EngineError } from '../errors.js';

/** A point-in-time query asked further behind the newest event time than the store keeps exactly. */
export class ProfileQueryTooOldError extends EngineError {
  override name = 'ProfileQueryTooOldError' as const;
}

/** A query or observation named an entity kind or feature the profile spec does not declare. */
export class UnknownProfileFeatureError extends EngineError {
  override name = 'UnknownProfileFeatureError' as const;
}

/**
 * What the entity page shows under its heading while it reads the entity's
 * features, linked entities and sessions: sent once it knows the entity exists.
 */
export function EntitySkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the entity" className="grid-2">
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="panel">
          <div className="skeleton" />
          <div className="skeleton" />
        </div>
      ))}
    </div>
  );
}

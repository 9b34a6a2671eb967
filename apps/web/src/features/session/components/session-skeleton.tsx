/**
 * What the session page shows while it prepares a stored session's tree,
 * verdict and history: the page sends it once it knows the session exists.
 */
export function SessionSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the session">
      <div className="skeleton" style={{ width: 280, height: 32 }} />
      <div className="panel">
        <div className="skeleton" style={{ height: 80 }} />
      </div>
      <div className="panel">
        <div className="skeleton" style={{ height: 300 }} />
      </div>
    </div>
  );
}

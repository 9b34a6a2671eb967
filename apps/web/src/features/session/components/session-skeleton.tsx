export default function Loading() {
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

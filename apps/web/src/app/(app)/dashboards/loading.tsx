export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the dashboards">
      <h1>Risk dashboards</h1>
      <div className="grid-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="panel">
            <div className="skeleton" style={{ height: 300 }} />
          </div>
        ))}
      </div>
    </div>
  );
}

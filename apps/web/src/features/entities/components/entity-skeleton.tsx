export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading the entity">
      <h1>Entity</h1>
      <div className="grid-2">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="panel">
            <div className="skeleton" />
            <div className="skeleton" />
          </div>
        ))}
      </div>
    </div>
  );
}

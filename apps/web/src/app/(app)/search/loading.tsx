export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading results">
      <h1>Order search</h1>
      <div className="panel">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton" />
        ))}
      </div>
    </div>
  );
}

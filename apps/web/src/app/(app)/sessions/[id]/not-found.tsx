import Link from 'next/link';

export default function SessionNotFound() {
  return (
    <div className="notice">
      <h1>No such session</h1>
      <p>
        It may have been merged into another or purged by retention.{' '}
        <Link href="/search">Search</Link> for the order id instead.
      </p>
    </div>
  );
}

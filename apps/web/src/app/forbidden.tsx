import Link from 'next/link';

export default function Forbidden() {
  return (
    <div>
      <h1>403 — not for your role</h1>
      <p className="error">
        Your account does not have the permission this page needs. Ask an admin for a different
        role, or go back to <Link href="/">your home page</Link>.
      </p>
    </div>
  );
}

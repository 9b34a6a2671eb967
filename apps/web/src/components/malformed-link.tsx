import Link from 'next/link';

/**
 * A page's own "this link is malformed" message: each bad parameter with the
 * reason, and where to go instead. The Proxy answers such links with a 400
 * page saying the same before the page runs; this shows only when it could
 * not (the sign-in check failed there).
 */
export function MalformedLink({
  address,
}: {
  /** From `malformedAddress()` (`src/server/page-address.ts`), which the Proxy's 400 page shows too. */
  address: {
    what: string;
    issues: { field: string; reason: string }[];
    help: { text: string; href: string; label: string };
  };
}) {
  const { what, issues, help } = address;
  return (
    <div className="error" role="alert" data-testid="bad-params">
      <p>This {what} is malformed:</p>
      <ul>
        {issues.map((issue) => (
          <li key={issue.field}>
            <code>{issue.field}</code>: {issue.reason}
          </li>
        ))}
      </ul>
      <p>
        {help.text} <Link href={help.href}>{help.label}</Link>
      </p>
    </div>
  );
}

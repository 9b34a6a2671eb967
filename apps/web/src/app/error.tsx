'use client';

import { PageError } from '@/components/page-error';

/** Failures above the signed-in shell: its layout's sign-in check, the login and setup pages. */
export default function RootError(props: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return (
    <main style={{ padding: '2rem' }}>
      <PageError {...props} />
    </main>
  );
}

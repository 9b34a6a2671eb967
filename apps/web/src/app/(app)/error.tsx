'use client';

import { PageError } from '@/components/page-error';

/** Any page failure inside the signed-in shell. */
export default function SegmentError(props: {
  error: Error & { digest?: string };
  retry: () => void;
}) {
  return <PageError {...props} />;
}

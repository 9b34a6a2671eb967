'use client';

import Link from 'next/link';
import { useParams, useSearchParams } from 'next/navigation';

/**
 * Names the entity address the not-found page was asked for. A not-found UI
 * gets no props, so this reads the URL: the kind and key route segments
 * (URL-encoded) and the `template` parameter.
 */
export function EntityAddress() {
  const params = useParams<{ kind: string; key: string }>();
  const template = useSearchParams().get('template') ?? '';
  const kind = decodeSegment(params.kind ?? '');
  const key = decodeSegment(params.key ?? '');
  return (
    <p>
      Asked for: {kind} <code>{key}</code> of template <code>{template}</code>. Entity keys match
      exactly: check the value, or{' '}
      <Link href={`/search?q=${encodeURIComponent(key)}`}>search it in every field</Link>.
    </p>
  );
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

import type { ReactNode } from 'react';
import { requirePage } from '@/server/guard';

/**
 * Checks the role before anything streams: a page's own check runs inside its
 * loading boundary, after the 200 status is sent, so the 403 must come from here.
 */
export default async function Guard({ children }: { children: ReactNode }) {
  await requirePage({ resource: 'businessSession', action: 'read' });
  return children;
}

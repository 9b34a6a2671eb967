import type { ReactNode } from 'react';
import { requirePage } from '@/server/guard';

/** Entity pages: every role reads them; checked before anything streams (see sessions/layout.tsx). */
export default async function Guard({ children }: { children: ReactNode }) {
  await requirePage({ resource: 'entity', action: 'read' });
  return children;
}

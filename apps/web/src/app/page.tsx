import { redirect } from 'next/navigation';
import { navFor } from '@/features/admin';
import { currentViewer } from '@/server/guard';

/** Sends each role to its home page (the first entry of its navigation). */
export const dynamic = 'force-dynamic';

export default async function Home() {
  const viewer = await currentViewer();
  if (!viewer) redirect('/login');
  const home = navFor(viewer.role)[0];
  redirect(home ? home.href : '/login?reason=no-role');
}

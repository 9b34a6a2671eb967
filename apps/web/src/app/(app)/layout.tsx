import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { navFor } from '@/features/admin';
import { SignOutButton } from '@/features/admin/components/sign-out-button';
import { currentViewer } from '@/server/guard';

/** The signed-in shell: navigation per role; each page still checks its own permission. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  if (!viewer) redirect('/login');
  return (
    <div className="shell">
      <nav className="nav" aria-label="Main">
        <div className="brand">Weft</div>
        {navFor(viewer.role).map((item) => (
          <Link key={item.href} href={item.href}>
            {item.label}
          </Link>
        ))}
        <div className="who">
          <div>{viewer.email}</div>
          <div data-testid="role">role: {viewer.role ?? 'none'}</div>
          <SignOutButton />
        </div>
      </nav>
      <main>{children}</main>
    </div>
  );
}

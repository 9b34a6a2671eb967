import { redirect } from 'next/navigation';
import { SetupForm } from '@/features/admin/components/setup-form';
import { bootstrapAdminFromEnv, hasAnyUser } from '@/server/bootstrap';

export const dynamic = 'force-dynamic';

/** First run: creates the first admin account. Closed as soon as any account exists. */
export default async function SetupPage() {
  await bootstrapAdminFromEnv();
  if (await hasAnyUser()) redirect('/login');
  return (
    <main style={{ maxWidth: 460, margin: '10vh auto' }}>
      <h1>Welcome to Weft</h1>
      <p className="muted">
        No account exists yet. Create the first admin; they then create the operator, analyst and
        manager accounts under Users.
      </p>
      <SetupForm />
    </main>
  );
}

import { redirect } from 'next/navigation';
import { LoginForm } from '@/features/admin/components/login-form';
import { hasAnyUser } from '@/server/bootstrap';

export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  if (!(await hasAnyUser())) redirect('/setup');
  return (
    <main style={{ maxWidth: 420, margin: '10vh auto' }}>
      <h1>Sign in to Weft</h1>
      <LoginForm />
    </main>
  );
}

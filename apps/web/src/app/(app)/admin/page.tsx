import { headers } from 'next/headers';
import { CreateUserForm } from '@/features/admin/components/create-user-form';
import { getAuth } from '@/server/auth';
import { requirePage } from '@/server/guard';

export const dynamic = 'force-dynamic';

/** Admin: the accounts and their roles; create operator/analyst/manager accounts. */
export default async function AdminPage() {
  await requirePage({ resource: 'user', action: 'list' });
  const auth = await getAuth();
  const { users } = await auth.api.listUsers({
    headers: await headers(),
    query: { limit: 200, sortBy: 'email' },
  });
  return (
    <>
      <h1>Users</h1>
      <div className="panel">
        <h2 style={{ marginTop: 0 }}>New account</h2>
        <p className="muted">
          operator: order search and session actions · analyst: templates (and reading sessions) ·
          manager: risk dashboards · admin: everything, and users.
        </p>
        <CreateUserForm />
      </div>
      <div className="panel">
        <table data-testid="users">
          <thead>
            <tr>
              <th>E-mail</th>
              <th>Name</th>
              <th>Role</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>{u.name}</td>
                <td>{u.role ?? '—'}</td>
                <td className="mono">{new Date(u.createdAt).toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

import Link from 'next/link';
import { can } from '@/features/admin';
import { requirePage } from '@/server/guard';
import { getStore } from '@/server/store';

export const dynamic = 'force-dynamic';

export default async function TemplatesPage() {
  const viewer = await requirePage({ resource: 'template', action: 'read' });
  const store = await getStore();
  const templates = await store.templates.list();
  const versions = await Promise.all(templates.map((t) => store.templates.versions(t.templateId)));
  const canWrite = can(viewer.role, { resource: 'template', action: 'write' });
  return (
    <>
      <h1>Analysis templates</h1>
      {canWrite && (
        <p>
          <Link href="/templates/wizard">+ New template in the wizard</Link>
        </p>
      )}
      {templates.length === 0 ? (
        <p className="notice">
          No template is stored yet. Start one in the wizard, or load an example with{' '}
          <code>weft template</code>.
        </p>
      ) : (
        <div className="panel">
          <table>
            <thead>
              <tr>
                <th>Template</th>
                <th>Latest version</th>
                <th>Status</th>
                <th>Versions</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {templates.map((t, i) => (
                <tr key={t.templateId}>
                  <td className="mono">{t.templateId}</td>
                  <td>{t.version}</td>
                  <td>{t.status}</td>
                  <td>{versions[i]?.map((v) => `v${v.version}`).join(', ')}</td>
                  <td>
                    {canWrite && (
                      <Link href={`/templates/wizard?template=${encodeURIComponent(t.templateId)}`}>
                        Edit in wizard
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

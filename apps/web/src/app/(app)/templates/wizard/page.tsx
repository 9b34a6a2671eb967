import { STARTER_SAMPLES, starterTemplate } from '@/features/wizard';
import { TemplateWizard } from '@/features/wizard/components/template-wizard';
import { recentSampleLines } from '@/features/wizard/server/sample-records';
import { requirePage } from '@/server/guard';
import { getStore } from '@/server/store';

export const dynamic = 'force-dynamic';

export default async function WizardPage({
  searchParams,
}: {
  searchParams: Promise<{ template?: string }>;
}) {
  await requirePage({ resource: 'template', action: 'write' });
  const { template } = await searchParams;
  const store = await getStore();
  const stored = template ? await store.templates.get(template) : undefined;
  const definition =
    stored?.definition && typeof stored.definition === 'object'
      ? (stored.definition as Record<string, unknown>)
      : starterTemplate(Date.now());
  return (
    <>
      <h1>Template wizard: {String(definition.name ?? definition.id)}</h1>
      {template && !stored && (
        <p className="notice">No stored template {template}: starting a new one.</p>
      )}
      <TemplateWizard
        initial={definition}
        initialSamples={
          stored ? await recentSampleLines(store, stored.templateId) : STARTER_SAMPLES
        }
      />
    </>
  );
}

import type { EntityAggregation, FieldValue, Template } from '@weft/templates';

/**
 * What the web app needs of a template's `entities` section: each kind with
 * the session field naming it and its features, and the session field each
 * feature value is stored under (`entity.<kind>.<feature>`). Assumes a
 * parsed (valid) template; a template without entities has no kinds.
 */
export interface EntityFeatureView {
  name: string;
  agg: EntityAggregation;
  /** The session field that carries the value the feature had when the session was evaluated. */
  sessionField: string;
  /** The chart's title: the description when the template gives one. */
  title: string;
  /** The unit of the plotted value, e.g. "sessions", "sum of paid_amount", "hours ago". */
  unit: string;
}

export interface EntityKindView {
  id: string;
  label: string;
  /** The session field holding the entity key, e.g. `device_id`. */
  field: string;
  features: EntityFeatureView[];
}

/** The session field holding a feature's value: `entity.<kind>.<feature>`. */
export function featureSessionField(kind: string, feature: string): string {
  return `entity.${kind}.${feature}`;
}

function unitOf(feature: { agg: EntityAggregation; field?: string; of?: string }): string {
  switch (feature.agg) {
    case 'count':
      return 'sessions';
    case 'sum':
    case 'min':
    case 'max':
      return `${feature.agg} of ${feature.field ?? '?'}`;
    case 'distinct':
      return `distinct ${feature.field ?? '?'}`;
    case 'last_seen':
      return 'hours before the session';
    case 'component_size':
      return 'entities in the component';
    case 'component_count':
      return `${feature.of ?? 'entity'} entities in the component`;
    case 'neighbours':
      return `${feature.of ?? 'entity'} entities linked`;
  }
}

/** The entity kinds a template declares, in declaration order (empty without an `entities` section). */
export function entityKindsOf(template: Pick<Template, 'entities'>): EntityKindView[] {
  return (template.entities?.kinds ?? []).map((kind) => ({
    id: kind.id,
    label: kind.label ?? kind.id,
    field: kind.field,
    features: kind.features.map((feature) => ({
      name: feature.name,
      agg: feature.agg,
      sessionField: featureSessionField(kind.id, feature.name),
      title: feature.description ?? feature.name,
      unit: unitOf(feature),
    })),
  }));
}

/** Session field → the entity kind it names, for turning field values into entity links. */
export function entityFieldKinds(template: Pick<Template, 'entities'>): Record<string, string> {
  return Object.fromEntries(entityKindsOf(template).map((kind) => [kind.field, kind.id]));
}

/**
 * The entity page of one entity.
 *
 * @example entityHref('in-app-purchase', 'device', 'D7') // '/entities/device/D7?template=in-app-purchase'
 */
export function entityHref(templateId: string, kind: string, key: string): string {
  return `/entities/${encodeURIComponent(kind)}/${encodeURIComponent(key)}?template=${encodeURIComponent(templateId)}`;
}

export interface FieldValueLink {
  href: string;
  /** True when the value names an entity (the link opens its entity page). */
  entity: boolean;
  title: string;
}

/**
 * Where a field value in the behavior tree leads: an entity field's value to
 * that entity's page, any other string or number value to the sessions with
 * the same value; null for values nothing can be searched by (null, booleans,
 * empty strings).
 *
 * @example fieldValueLink('iap', { device_id: 'device' }, 'device_id', 'D7')?.href // '/entities/device/D7?template=iap'
 */
export function fieldValueLink(
  templateId: string,
  entityFields: Readonly<Record<string, string>>,
  field: string,
  value: FieldValue,
): FieldValueLink | null {
  if ((typeof value !== 'string' && typeof value !== 'number') || value === '') return null;
  const text = String(value);
  const kind = entityFields[field];
  if (kind !== undefined) {
    return {
      href: entityHref(templateId, kind, text),
      entity: true,
      title: `Open ${kind} ${text}: its features over time, linked entities and sessions`,
    };
  }
  return {
    href: `/search?q=${encodeURIComponent(`${field}=${text}`)}`,
    entity: false,
    title: `Sessions with ${field} = ${text}`,
  };
}

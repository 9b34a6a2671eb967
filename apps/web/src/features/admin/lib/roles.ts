import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';

/**
 * Who may do what in Weft. One access-control statement shared by the
 * better-auth admin plugin (server) and the navigation (client), so the menu
 * never offers a page the server would refuse.
 *
 * Assumes a user has exactly one of the four roles; unknown roles get nothing.
 */
export const statement = {
  ...defaultStatements,
  businessSession: ['read', 'act'],
  template: ['read', 'write'],
  dashboard: ['read'],
  entity: ['read'],
} as const;

export const accessControl = createAccessControl(statement);

export const ROLE_NAMES = ['operator', 'analyst', 'manager', 'admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const roles = {
  operator: accessControl.newRole({ businessSession: ['read', 'act'], entity: ['read'] }),
  analyst: accessControl.newRole({
    businessSession: ['read'],
    template: ['read', 'write'],
    entity: ['read'],
  }),
  manager: accessControl.newRole({ dashboard: ['read'], entity: ['read'] }),
  admin: accessControl.newRole({
    ...adminAc.statements,
    businessSession: ['read', 'act'],
    template: ['read', 'write'],
    dashboard: ['read'],
    entity: ['read'],
  }),
} satisfies Record<RoleName, unknown>;

/** A permission a page or route needs, e.g. `{ resource: 'dashboard', action: 'read' }`. */
export type Permission =
  | { resource: 'businessSession'; action: 'read' | 'act' }
  | { resource: 'template'; action: 'read' | 'write' }
  | { resource: 'dashboard'; action: 'read' }
  | { resource: 'entity'; action: 'read' }
  | { resource: 'user'; action: 'list' | 'create' | 'set-role' };

/** Parses a stored role string (better-auth stores a comma-separated list); null when unknown. */
export function toRoleName(role: string | null | undefined): RoleName | null {
  const first = (role ?? '').split(',')[0]?.trim();
  return (ROLE_NAMES as readonly string[]).includes(first ?? '') ? (first as RoleName) : null;
}

/**
 * True when the role grants the permission.
 *
 * @example can('manager', { resource: 'dashboard', action: 'read' }) // true
 */
export function can(role: string | null | undefined, permission: Permission): boolean {
  const name = toRoleName(role);
  if (name === null) return false;
  const request = { [permission.resource]: [permission.action] };
  return roles[name].authorize(request as never).success;
}

export interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

const NAV: readonly NavItem[] = [
  {
    href: '/search',
    label: 'Order search',
    permission: { resource: 'businessSession', action: 'read' },
  },
  {
    href: '/dashboards',
    label: 'Risk dashboards',
    permission: { resource: 'dashboard', action: 'read' },
  },
  { href: '/templates', label: 'Templates', permission: { resource: 'template', action: 'read' } },
  { href: '/admin', label: 'Users', permission: { resource: 'user', action: 'list' } },
];

/** The navigation a role sees, in menu order; its first entry is the role's home page. */
export function navFor(role: string | null | undefined): NavItem[] {
  return NAV.filter((item) => can(role, item.permission));
}

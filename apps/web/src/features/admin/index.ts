export { can, navFor, ROLE_NAMES, toRoleName } from './lib/roles';
export type { NavItem, Permission, RoleName } from './lib/roles';

import { describe, expect, it } from 'vitest';
import { can, navFor, toRoleName } from './roles';

describe('roles', () => {
  it('grants each role its job and nothing else', () => {
    expect(can('operator', { resource: 'businessSession', action: 'act' })).toBe(true);
    expect(can('operator', { resource: 'dashboard', action: 'read' })).toBe(false);
    expect(can('analyst', { resource: 'template', action: 'write' })).toBe(true);
    expect(can('analyst', { resource: 'businessSession', action: 'act' })).toBe(false);
    expect(can('manager', { resource: 'dashboard', action: 'read' })).toBe(true);
    expect(can('manager', { resource: 'template', action: 'read' })).toBe(false);
    expect(can('manager', { resource: 'user', action: 'list' })).toBe(false);
    expect(can('admin', { resource: 'user', action: 'set-role' })).toBe(true);
  });

  it('lets every role read entity pages', () => {
    for (const role of ['operator', 'analyst', 'manager', 'admin'])
      expect(can(role, { resource: 'entity', action: 'read' })).toBe(true);
    expect(can(null, { resource: 'entity', action: 'read' })).toBe(false);
  });

  it('denies unknown or missing roles', () => {
    expect(can('user', { resource: 'businessSession', action: 'read' })).toBe(false);
    expect(can(null, { resource: 'dashboard', action: 'read' })).toBe(false);
    expect(toRoleName('manager,operator')).toBe('manager');
  });

  it('builds the navigation per role, home page first', () => {
    expect(navFor('operator').map((n) => n.href)).toEqual(['/search']);
    expect(navFor('manager').map((n) => n.href)).toEqual(['/dashboards']);
    expect(navFor('analyst').map((n) => n.href)).toEqual(['/search', '/templates']);
    expect(navFor('admin')).toHaveLength(4);
    expect(navFor(undefined)).toEqual([]);
  });
});

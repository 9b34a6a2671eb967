import type { OperatorAction, Store } from '@weft/storage';
import { parseStoredTemplate } from '@/server/stored-template';
import type { Session, Template } from '@weft/templates';
import { buildBehaviorTree } from '../lib/behavior-tree';
import type { BehaviorTreeView, TreeTemplate } from '../lib/behavior-tree';

export interface SessionPageData {
  session: Session;
  template: Template | null;
  tree: BehaviorTreeView;
  actions: OperatorAction[];
}

/** The stored template version a session was built with, or null when it is not in the store. */
export async function templateOf(store: Store, session: Session): Promise<Template | null> {
  const stored = await store.templates.get(session.templateId, session.templateVersion);
  return parseStoredTemplate(stored?.definition);
}

/** A tree shape from the session alone (its nodes in stored order, chained) when the template is missing. */
function treeFromSession(session: Session): TreeTemplate {
  const baseline = session.nodes.filter((n) => n.kind === 'baseline');
  return {
    baseline: {
      key: 'business_key',
      nodes: baseline.map((n) => ({ id: n.node, source: n.node, label: n.node })),
      gap: 0,
      maxSpan: 0,
      allowedLateness: 0,
      earlyFire: { all: true },
      timeout: 0,
    },
    supplements: [],
    tree: { edges: [] },
    derived: [],
  };
}

/** Everything the session page shows, or null when no such session exists. */
export async function loadSession(
  store: Store,
  sessionId: string,
): Promise<SessionPageData | null> {
  const detail = await store.sessions.detail(sessionId);
  if (!detail) return null;
  const template = await templateOf(store, detail.session);
  const tree = buildBehaviorTree(detail.session, template ?? treeFromSession(detail.session));
  return { session: detail.session, template, tree, actions: detail.operatorActions };
}

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

/**
 * Everything the session page shows of a stored session: the template it was
 * built with, its behavior tree and the operator actions on it.
 *
 * @example const view = await loadSessionView(store, (await store.sessions.get('s-O1'))!);
 */
export async function loadSessionView(store: Store, session: Session): Promise<SessionPageData> {
  const [template, actions] = await Promise.all([
    templateOf(store, session),
    store.operatorActions.list(session.sessionId),
  ]);
  const tree = buildBehaviorTree(session, template ?? treeFromSession(session));
  return { session, template, tree, actions };
}

/** {@link loadSessionView} of the session with this id, or null when no such session exists. */
export async function loadSession(
  store: Store,
  sessionId: string,
): Promise<SessionPageData | null> {
  const session = await store.sessions.get(sessionId);
  return session ? loadSessionView(store, session) : null;
}

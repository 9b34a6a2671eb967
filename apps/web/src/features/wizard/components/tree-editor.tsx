'use client';

import { useState } from 'react';
import { addTreeEdge, removeTreeEdge, treeEdges, treeNodeIds } from '../lib/tree-edges';

type Draft = Record<string, unknown>;

/**
 * The tree step's editor: pick a parent and a child among the draft's nodes
 * to add an edge, remove edges; the live preview draws the result on the
 * samples and the step lists any validation error (cycles, unknown nodes).
 */
export function TreeEditor({ draft, onChange }: { draft: Draft; onChange: (next: Draft) => void }) {
  const ids = treeNodeIds(draft);
  const edges = treeEdges(draft);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [label, setLabel] = useState('');
  const [ordered, setOrdered] = useState(true);
  const parent = from || ids[0] || '';
  const child = to || ids[1] || '';
  return (
    <div data-testid="tree-editor">
      {edges.length === 0 ? (
        <p className="muted">
          No edges: the tree follows the baseline order, supplements under their anchor.
        </p>
      ) : (
        <ul>
          {edges.map((edge, i) => (
            <li key={`${edge.from}>${edge.to}`} className="mono">
              {edge.from} → {edge.to}
              {edge.label ? ` (${edge.label})` : ''}
              {edge.ordered ? '' : ' · any order'}{' '}
              <button
                type="button"
                className="secondary"
                aria-label={`Remove the edge ${edge.from} to ${edge.to}`}
                onClick={() => onChange(removeTreeEdge(draft, i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row" style={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <label>
          Parent{' '}
          <select value={parent} onChange={(e) => setFrom(e.target.value)} aria-label="Edge parent">
            {ids.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <label>
          Child{' '}
          <select value={child} onChange={(e) => setTo(e.target.value)} aria-label="Edge child">
            {ids.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </label>
        <input
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          placeholder="Label (optional)"
          aria-label="Edge label"
        />
        <label>
          <input type="checkbox" checked={ordered} onChange={(e) => setOrdered(e.target.checked)} />{' '}
          child comes after its parent
        </label>
        <button
          type="button"
          disabled={ids.length < 2 || parent === child}
          onClick={() => onChange(addTreeEdge(draft, { from: parent, to: child, label, ordered }))}
        >
          Add edge
        </button>
      </div>
    </div>
  );
}

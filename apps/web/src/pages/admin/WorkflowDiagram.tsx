import dagre from '@dagrejs/dagre';
import { BaseEdge, type Edge, type EdgeProps, MarkerType, type Node, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './WorkflowDiagram.css';
import { useMemo } from 'react';
import { RATINGS } from '../../components/format';

const NODE_WIDTH = 150;
const NODE_HEIGHT = 44;
const LOOP_HEIGHT = 20;

interface State {
  key: string;
  label: string;
  initial: boolean;
  terminal: boolean;
}

interface Step {
  label: string;
  from: string[];
  to: string;
}

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ratingWord = (r: unknown) => RATINGS.find((x) => x.value === r)?.label ?? String(r);

/** The states and transitions of a definition as typed, skipping what is too broken to draw. */
function readGraph(definition: unknown): { states: State[]; steps: Step[] } {
  const states = (record(definition) && Array.isArray(definition.states) ? definition.states : [])
    .filter((s): s is Record<string, unknown> => record(s) && text(s.key))
    .map((s) => ({ key: s.key as string, label: text(s.label) ? s.label : (s.key as string), initial: s.initial === true, terminal: s.terminal === true }));
  const steps: Step[] = [];
  for (const t of record(definition) && Array.isArray(definition.transitions) ? definition.transitions : []) {
    if (!record(t) || !Array.isArray(t.from)) continue;
    const from = t.from.filter(text);
    const label = text(t.label) ? t.label : text(t.action) ? t.action : '';
    if (text(t.to)) steps.push({ label, from, to: t.to });
    // 重办 on 不满意: where a rating sends the task instead.
    for (const b of Array.isArray(t.branches) ? t.branches : []) {
      if (record(b) && text(b.to)) steps.push({ label: `${label}（${(Array.isArray(b.rating) ? b.rating : []).map(ratingWord).join('、')}）`, from, to: b.to });
    }
  }
  return { states, steps };
}

interface Point {
  x: number;
  y: number;
}

/** Where dagre routed a transition: its bends and the place of its label. */
type RoutedEdge = Edge<{ points: Point[]; labelAt: Point }, 'routed'>;

/** A smooth path through dagre's points: straight to the first bend, then curves through the midpoints. */
function pathThrough(points: Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M ${first.x} ${first.y}`;
  rest.forEach((p, i) => {
    const next = rest[i + 1];
    d += next ? ` Q ${p.x} ${p.y} ${(p.x + next.x) / 2} ${(p.y + next.y) / 2}` : ` L ${p.x} ${p.y}`;
  });
  return d;
}

/** A transition drawn along dagre's route rather than between fixed handles, so edges going back up stay readable. */
function RoutedTransition({ data, label, markerEnd, style, labelStyle, labelBgStyle, labelBgPadding }: EdgeProps<RoutedEdge>) {
  return (
    <BaseEdge
      path={pathThrough(data!.points)}
      labelX={data!.labelAt.x}
      labelY={data!.labelAt.y}
      label={label}
      markerEnd={markerEnd}
      style={style}
      labelStyle={labelStyle}
      labelBgStyle={labelBgStyle}
      labelBgPadding={labelBgPadding}
    />
  );
}

const EDGE_TYPES = { routed: RoutedTransition };

/** Nodes placed by dagre, top to bottom; the actions that stay in a state are listed on it rather than drawn as loops. */
function layout(definition: unknown): { nodes: Node[]; edges: RoutedEdge[]; width: number; height: number } {
  const { states, steps } = readGraph(definition);
  const known = new Set(states.map((s) => s.key));
  const loops = new Map<string, string[]>();
  const pairs = new Map<string, { from: string; to: string; labels: string[] }>();
  for (const step of steps) {
    for (const from of step.from) {
      if (!known.has(from) || !known.has(step.to)) continue;
      if (from === step.to) {
        loops.set(from, [...(loops.get(from) ?? []), step.label]);
        continue;
      }
      const id = `${from}→${step.to}`;
      const pair = pairs.get(id) ?? { from, to: step.to, labels: [] };
      if (!pair.labels.includes(step.label)) pair.labels.push(step.label);
      pairs.set(id, pair);
    }
  }
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, edgesep: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of states) g.setNode(s.key, { width: NODE_WIDTH, height: NODE_HEIGHT + (loops.has(s.key) ? LOOP_HEIGHT : 0) });
  for (const p of pairs.values()) g.setEdge(p.from, p.to, { width: 13 * p.labels.join('、').length + 10, height: 20, labelpos: 'c' });
  dagre.layout(g);
  const nodes: Node[] = states.map((s) => {
    const { x, y, width, height } = g.node(s.key) as { x: number; y: number; width: number; height: number };
    const loop = loops.get(s.key);
    return {
      id: s.key,
      position: { x: x - width / 2, y: y - height / 2 },
      data: {
        label: (
          <>
            <div style={{ fontWeight: 500 }}>{s.label}</div>
            {loop && <div style={{ fontSize: 12, color: '#595959' }}>↻ {loop.join('、')}</div>}
          </>
        ),
      },
      style: {
        width,
        padding: 6,
        borderRadius: 6,
        color: '#1f1f1f',
        borderWidth: s.initial || s.terminal ? 2 : 1,
        borderColor: s.initial ? '#1677ff' : s.terminal ? '#237804' : '#8c8c8c',
        background: s.terminal ? '#f6ffed' : s.initial ? '#e6f4ff' : '#fff',
      },
    };
  });
  const edges: RoutedEdge[] = [...pairs.values()].map((p) => {
    const routed = g.edge(p.from, p.to) as { points: Point[]; x: number; y: number };
    return {
      id: `${p.from}→${p.to}`,
      type: 'routed',
      source: p.from,
      target: p.to,
      data: { points: routed.points, labelAt: { x: routed.x, y: routed.y } },
      label: p.labels.join('、'),
      markerEnd: { type: MarkerType.ArrowClosed, color: '#595959' },
      style: { stroke: '#595959' },
      labelStyle: { fill: '#1f1f1f', fontSize: 12 },
      labelBgStyle: { fill: '#fff' },
      labelBgPadding: [4, 2],
    };
  });
  const { width = 1, height = 1 } = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width, height };
}

/**
 * A definition's states (the initial one blue, terminal ones green) and its transitions with
 * their labels, drawn from the text being edited so a change shows at once.
 */
export default function WorkflowDiagram({ definition }: { definition: unknown }) {
  const { nodes, edges, width, height } = useMemo(() => layout(definition), [definition]);
  return (
    <div
      data-testid="workflow-diagram"
      role="figure"
      aria-label="流程图：状态与流转"
      style={{ width: '100%', aspectRatio: `${width + 40} / ${height + 40}`, minHeight: 260, maxHeight: 520 }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        edgeTypes={EDGE_TYPES}
        fitView
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        zoomOnScroll={false}
        preventScrolling={false}
        proOptions={{ hideAttribution: true }}
      />
    </div>
  );
}

/**
 * Depth-first search with an explicit stack, for the declaration graphs
 * (structs containing structs, interfaces composing interfaces): a chain of
 * thousands of declarations must give a diagnostic, not exhaust the JS stack.
 */

export interface DepthFirstEvents<N, E> {
  /** An edge to a node on the current path: a cycle, `path` from the root to `from`. */
  readonly backEdge?: (from: N, edge: E, path: readonly N[]) => void;
  /** Post-order: every edge of `node` has been followed (or was a back edge). */
  readonly finish?: (node: N) => void;
}

export function depthFirst<N, E>(
  roots: Iterable<N>,
  edges: (node: N) => readonly E[],
  target: (edge: E) => N,
  events: DepthFirstEvents<N, E>,
): void {
  const state = new Map<N, "active" | "done">();
  for (const root of roots) {
    if (state.has(root)) continue;
    const path: N[] = [root];
    const frames: { readonly node: N; readonly edges: readonly E[]; next: number }[] = [
      { node: root, edges: [...edges(root)], next: 0 },
    ];
    state.set(root, "active");
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.next < frame.edges.length) {
        const edge = frame.edges[frame.next++]!;
        const to = target(edge);
        const s = state.get(to);
        if (s === "active") events.backEdge?.(frame.node, edge, path);
        else if (s === undefined) {
          state.set(to, "active");
          path.push(to);
          frames.push({ node: to, edges: [...edges(to)], next: 0 });
        }
        continue;
      }
      frames.pop();
      path.pop();
      state.set(frame.node, "done");
      events.finish?.(frame.node);
    }
  }
}

import { describe, expect, it } from "vitest";
import { depthFirst } from "../../../compiler/check/graph.js";

function walk(graph: Record<string, string[]>, roots = Object.keys(graph)) {
  const finished: string[] = [];
  const cycles: string[] = [];
  depthFirst(
    roots,
    (n) => graph[n] ?? [],
    (e) => e,
    {
      finish: (n) => finished.push(n),
      backEdge: (from, to, path) => cycles.push(`${path.join(">")}|${from}->${to}`),
    },
  );
  return { finished, cycles };
}

describe("depthFirst", () => {
  it("finishes every node after the nodes it reaches (post-order), each once", () => {
    const { finished, cycles } = walk({ a: ["b", "c"], b: ["c"], c: [], d: ["a"] });
    expect(finished).toEqual(["c", "b", "a", "d"]);
    expect(cycles).toEqual([]);
  });

  it("reports each edge back onto the current path with that path", () => {
    const { finished, cycles } = walk({ a: ["b"], b: ["c"], c: ["a", "b"], x: ["x"] });
    expect(cycles).toEqual(["a>b>c|c->a", "a>b>c|c->b", "x|x->x"]);
    expect(finished).toEqual(["c", "b", "a", "x"]);
  });

  it("walks a chain of 100,000 nodes without recursion", () => {
    const graph: Record<string, string[]> = {};
    for (let i = 0; i < 100_000; i++) graph[`n${i}`] = i + 1 < 100_000 ? [`n${i + 1}`] : [];
    const { finished } = walk(graph, ["n0"]);
    expect(finished.length).toBe(100_000);
    expect(finished[0]).toBe("n99999");
  });
});

/**
 * `compose Other;`: an interface also serves Other's methods on the same IPC
 * object. Targets must be interfaces of the same range class, named once, with
 * no cycle; and over everything one object serves, no two methods may share a
 * function number or a name. A collision is reported at the interface whose
 * direct compositions bring the two methods together, naming both.
 */
import type * as ast from "../syntax/ast.js";
import { type Location, type Reporter, withNote } from "../diagnostics/diagnostic.js";
import {
  ErrComposeClassMismatch,
  ErrComposeCollision,
  ErrComposeCycle,
  ErrComposeNameClash,
  ErrComposeReservedNumber,
  ErrDuplicateCompose,
  ErrDefinitionsTooDeep,
  ErrUnknownInterface,
} from "../diagnostics/catalog-check.js";
import { type Interface, interfaceClosure, type Method, type Model, NESTING_LIMIT, servedMethods } from "./model.js";
import { depthFirst } from "./graph.js";
import { formatFn, rangeClassOf } from "./check-interfaces.js";
import { locate, namesOf, type SymbolTable } from "./resolve-step.js";
import { withSuggestion } from "./suggest.js";

export interface ComposeSite {
  readonly target: string;
  readonly location: Location;
}

/**
 * Valid compose targets of each interface, in order (an edge closing a cycle
 * is dropped), and the interfaces that compose too deep.
 */
export function checkComposeTargets(
  decls: readonly { readonly decl: ast.InterfaceDecl; readonly file: ast.File }[],
  symbols: SymbolTable,
  reporter: Reporter,
): { sites: Map<string, ComposeSite[]>; tooDeep: ReadonlySet<string> } {
  const edges = new Map<string, ComposeSite[]>();
  for (const { decl, file } of decls) {
    const sites: ComposeSite[] = [];
    for (const member of decl.members) {
      if (member.kind !== "Compose") continue;
      const name = member.target.parts.map((p) => p.text).join(".");
      const at = locate(file, member.target);
      const symbol = symbols.get(name);
      if (symbol?.decl.kind !== "InterfaceDecl") {
        reporter.report(withSuggestion(ErrUnknownInterface(at, name), name, namesOf(symbols, ["InterfaceDecl"])));
        continue;
      }
      if (sites.some((s) => s.target === name)) {
        reporter.report(ErrDuplicateCompose(at, name));
        continue;
      }
      const mine = rangeClassOf(decl);
      const theirs = rangeClassOf(symbol.decl);
      if (mine !== null && theirs !== null && mine !== theirs) {
        reporter.report(
          withNote(
            ErrComposeClassMismatch(at, decl.name.text, mine, name, theirs),
            `'${name}' is declared here`,
            locate(symbol.file, symbol.decl.name),
          ),
        );
        continue;
      }
      sites.push({ target: name, location: at });
    }
    edges.set(decl.name.text, sites);
  }
  const tooDeep = dropCycles(edges, reporter);
  return { sites: edges, tooDeep };
}

/**
 * Drops (and reports) each edge that closes a cycle; reports the first
 * interface that composes more than NESTING_LIMIT deep and returns those that
 * do, which the caller leaves out of the model (later phases recurse on
 * composition).
 */
function dropCycles(edges: Map<string, ComposeSite[]>, reporter: Reporter): Set<string> {
  const depth = new Map<string, number>();
  const tooDeep = new Set<string>();
  const dropped = new Set<ComposeSite>();
  depthFirst(
    edges.keys(),
    (name) => edges.get(name) ?? [],
    (site) => site.target,
    {
      backEdge: (_from, site, path) => {
        reporter.report(
          ErrComposeCycle(site.location, [...path.slice(path.indexOf(site.target)), site.target].join(" -> ")),
        );
        dropped.add(site);
      },
      finish: (name) => {
        const sites = (edges.get(name) ?? []).filter((s) => !dropped.has(s));
        edges.set(name, sites);
        depth.set(name, 1 + Math.max(0, ...sites.map((s) => depth.get(s.target) ?? 0)));
        if (depth.get(name)! > NESTING_LIMIT) {
          if (tooDeep.size === 0)
            reporter.report(ErrDefinitionsTooDeep(sites[0]!.location, "compositions", NESTING_LIMIT));
          tooDeep.add(name);
        }
      },
    },
  );
  return tooDeep;
}

interface Group {
  readonly location: Location;
  /** The interfaces the group brings in. */
  readonly members: readonly Interface[];
  readonly methods: readonly { readonly method: Method; readonly declaredIn: string }[];
}

/** A method of one group whose number another group's interface reserves; reported at the later group. */
function checkReservedAcrossGroups(iface: Interface, groups: readonly Group[], reporter: Reporter): void {
  groups.forEach((g, gi) => {
    groups.forEach((h, hi) => {
      if (gi === hi) return;
      for (const { method, declaredIn } of g.methods) {
        const by = h.members.find((i) => i.reserved.includes(method.fn) && !g.members.includes(i));
        if (!by) continue;
        reporter.report(
          withNote(
            ErrComposeReservedNumber(
              groups[Math.max(gi, hi)]!.location,
              formatFn(method.fn),
              `${declaredIn}.${method.name}`,
              by.name,
              iface.name,
            ),
            `'${declaredIn}.${method.name}' is declared here`,
            method.location,
          ),
        );
      }
    });
  });
}

/** Reports function-number and name collisions between the groups an interface brings together. */
export function checkCollisions(
  model: Model,
  iface: Interface,
  sites: readonly ComposeSite[],
  reporter: Reporter,
): void {
  const byFn = new Map<number, { method: Method; from: string }>();
  const byName = new Map<string, { method: Method; from: string }>();
  const groups: Group[] = [
    {
      location: iface.location,
      members: [iface],
      methods: iface.methods.map((method) => ({ method, declaredIn: iface.name })),
    },
  ];
  for (const site of sites) {
    const target = model.declarations.get(site.target);
    if (target?.kind === "interface") {
      groups.push({
        location: site.location,
        members: interfaceClosure(model, target),
        methods: servedMethods(model, target),
      });
    }
  }
  checkReservedAcrossGroups(iface, groups, reporter);
  for (const group of groups) {
    const local = new Set<Method>();
    for (const { method, declaredIn } of group.methods) {
      if (local.has(method)) continue;
      local.add(method);
      const clashFn = byFn.get(method.fn);
      const clashName = byName.get(method.name);
      if (clashFn && clashFn.method !== method) {
        const d = ErrComposeCollision(
          group.location,
          formatFn(method.fn),
          `${declaredIn}.${method.name}`,
          `${clashFn.from}.${clashFn.method.name}`,
          iface.name,
        );
        reporter.report(
          withNote(
            withNote(d, `'${declaredIn}.${method.name}' is declared here`, method.location),
            `'${clashFn.from}.${clashFn.method.name}' is declared here`,
            clashFn.method.location,
          ),
        );
      } else if (clashName && clashName.method !== method) {
        reporter.report(
          withNote(
            withNote(
              ErrComposeNameClash(group.location, method.name, declaredIn, clashName.from, iface.name),
              `'${declaredIn}.${method.name}' is declared here`,
              method.location,
            ),
            `'${clashName.from}.${method.name}' is declared here`,
            clashName.method.location,
          ),
        );
      }
    }
    for (const { method, declaredIn } of group.methods) {
      if (!byFn.has(method.fn)) byFn.set(method.fn, { method, from: declaredIn });
      if (!byName.has(method.name)) byName.set(method.name, { method, from: declaredIn });
    }
  }
}

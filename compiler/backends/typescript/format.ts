/**
 * Small text helpers that print code the way Prettier (default options,
 * parser "typescript") would, so that generated files pass `prettier --check`
 * without running Prettier on every compile.
 */

export const PRINT_WIDTH = 80;

/** A string literal as Prettier quotes it: double quotes unless that needs more escapes. */
export function quote(text: string): string {
  const doubles = (text.match(/"/g) ?? []).length;
  const singles = (text.match(/'/g) ?? []).length;
  const body = JSON.stringify(text).slice(1, -1);
  if (doubles > singles) return `'${body.replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  return `"${body}"`;
}

/** A `/** ... *\/` comment for `doc` at `indent`, or no lines when there is none. */
export function docLines(doc: string | null, indent: string): string[] {
  if (doc === null || doc.trim() === "") return [];
  const lines = doc.replace(/\*\//g, "*\\/").split("\n").map((l) => l.trimEnd());
  if (lines.length === 1) return [`${indent}/** ${lines[0]!.trim()} */`];
  return [`${indent}/**`, ...lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)), `${indent} */`];
}

/**
 * `head(item, item)tail` on one line when it fits, else one item per line with
 * a trailing comma, as Prettier breaks calls, parameter lists and imports.
 * `open`/`close` are the brackets (`(` `)` or `{ ` ` }`).
 */
export function fitList(
  indent: string,
  head: string,
  items: readonly string[],
  tail: string,
  brackets: { open: string; close: string; pad?: boolean } = { open: "(", close: ")" },
): string[] {
  const pad = brackets.pad ? " " : "";
  const inline = items.length === 0 ? "" : `${pad}${items.join(", ")}${pad}`;
  const one = `${indent}${head}${brackets.open}${inline}${brackets.close}${tail}`;
  if (one.length <= PRINT_WIDTH || items.length === 0) return [one];
  return [
    `${indent}${head}${brackets.open}`,
    ...items.map((item) => `${indent}  ${item},`),
    `${indent}${brackets.close}${tail}`,
  ];
}

/** `0x1f`-style hex as Prettier prints it. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

export function indentLines(lines: readonly string[], indent: string): string[] {
  return lines.map((l) => (l === "" ? "" : indent + l));
}

/**
 * Breaks a statement that ends in a call (`x = f(a, b);`, `return g(a);`)
 * the way Prettier does when it is wider than the print width: the call's
 * arguments one per line, each broken again if still too wide. Lines that
 * are not of that shape are returned as they are.
 */
export function wrapLine(line: string): string[] {
  if (line.length <= PRINT_WIDTH) return [line];
  const indent = /^ */.exec(line)![0];
  const body = line.slice(indent.length);
  const call = outerCall(body);
  if (call === null) return [line];
  const head = body.slice(0, call.open);
  const tail = body.slice(call.close + 1);
  const args = splitArgs(body.slice(call.open + 1, call.close));
  if (args.length === 0) return [line];
  const inner = `${indent}  `;
  return [
    `${indent}${head}(`,
    ...args.flatMap((a) => wrapLine(`${inner}${a},`)),
    `${indent})${tail}`,
  ];
}

/** The top-level call whose `)` ends the statement (only `;`, `,` or ` {` after it). */
function outerCall(body: string): { open: number; close: number } | null {
  const end = body.replace(/(;|,| \{)$/, "").length - 1;
  if (body[end] !== ")") return null;
  let depth = 0;
  let quoteChar: string | null = null;
  for (let i = end; i >= 0; i--) {
    const c = body[i]!;
    if (quoteChar !== null) {
      if (c === quoteChar && body[i - 1] !== "\\") quoteChar = null;
      continue;
    }
    if (c === '"' || c === "'") quoteChar = c;
    else if (c === ")" || c === "]") depth++;
    else if (c === "(" || c === "[") {
      depth--;
      if (depth === 0) return c === "(" ? { open: i, close: end } : null;
    }
  }
  return null;
}

function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoteChar: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoteChar !== null) {
      if (c === "\\") i++;
      else if (c === quoteChar) quoteChar = null;
      continue;
    }
    if (c === '"' || c === "'") quoteChar = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "") out.push(last);
  return out;
}

/**
 * A whole function: doc, signature (broken when too wide), `const view` /
 * `const bytes` when the body uses them, and the body wrapped to the width.
 */
export function functionLines(
  doc: readonly string[],
  head: string,
  params: readonly string[],
  returns: string,
  body: readonly string[],
  indent = "",
): string[] {
  const locals: string[] = [];
  if (body.some((l) => /\bview\./.test(l))) locals.push("const view = f.view;");
  if (body.some((l) => /\bbytes\[/.test(l))) locals.push("const bytes = f.bytes;");
  return [
    ...doc.map((l) => indent + l),
    ...fitList(indent, head, params, `: ${returns} {`),
    ...[...locals, ...body].flatMap((l) => wrapLine(`${indent}  ${l}`)),
    `${indent}}`,
  ];
}

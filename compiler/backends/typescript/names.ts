/**
 * Names in generated code. IDL names are kept as written for fields, methods
 * and parameters (they are valid JavaScript property names); declared type
 * names are used as they are; derived names (`EchoClient`, `encodePoint`,
 * `ECHO_BUFFER_SIZE`) are built here. A parameter name that would shadow a
 * local of the generated code or is a reserved word gets a trailing `_`.
 */

const reservedWords = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined"
  ).split(" "),
);

/** Locals and parameters that generated functions declare themselves. */
const generatedLocals = new Set(["f", "at", "v", "r", "view", "bytes", "size", "args", "reply", "request", "error", "call", "impl", "rt"]);

/** A parameter or local name for IDL name `name`. */
export function localName(name: string): string {
  if (reservedWords.has(name) || generatedLocals.has(name) || /^[aipnswoct]\d+$/.test(name)) return `${name}_`;
  return name;
}

/** Client method names that would clash with DoorClient's own members. */
const clientMembers = new Set(["constructor", "trap", "frame", "target", "send", "answer", "refuseReply"]);

export function clientMethodName(name: string): string {
  return clientMembers.has(name) ? `${name}_` : name;
}

/** `ipc_create` -> `IpcCreate`, `ping` -> `Ping`. */
export function pascal(name: string): string {
  return name
    .split("_")
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/** `EchoServer` -> `ECHO_SERVER`, `ipc_create` -> `IPC_CREATE`. */
export function screaming(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toUpperCase();
}

/** The module path a generated file for `idl/foo.idl` gets: `idl/foo.ts`. */
export function modulePath(idlPath: string): string {
  return idlPath.replace(/\.idl$/, "") + ".ts";
}

/** The import specifier from module `from` to module `to` (both generated paths). */
export function relativeSpecifier(from: string, to: string): string {
  const fromParts = from.split("/").slice(0, -1);
  const toParts = to.split("/");
  let common = 0;
  while (common < fromParts.length && common < toParts.length - 1 && fromParts[common] === toParts[common]) common++;
  const up = fromParts.length - common;
  const rest = toParts.slice(common).join("/").replace(/\.ts$/, ".js");
  return up === 0 ? `./${rest}` : `${"../".repeat(up)}${rest}`;
}

/** Server method names: `constructor` would be a class's constructor. */
export function serverMethodName(name: string): string {
  return name === "constructor" ? `${name}_` : name;
}

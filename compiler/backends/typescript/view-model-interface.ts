/**
 * The view of one interface: its constants, message types and codecs, the
 * client class, the server interface, the dispatcher and `serveX`. Part of
 * view-model.ts, split out by topic.
 */
import type { IrDescType, IrInterface, IrLeaseType, IrMessage, IrMethod, IrParam, IrRight } from "../../ir/ir.js";
import { decodeValue, encodeLines, Locals, paddingLines, primitiveLines, type Scope, tsType } from "./codec-gen.js";
import { EmitError } from "./emit-error.js";
import { docLines, fitList, functionLines, hex, PRINT_WIDTH } from "./format.js";
import { clientMethodName, localName, pascal, screaming, serverMethodName } from "./names.js";

export interface InterfaceView {
  readonly name: string;
  /** Chunks of code, printed separated by blank lines. */
  readonly chunks: readonly string[];
}

const kinds: Readonly<Record<IrDescType["objectKind"], string>> = {
  any: "0",
  door: "rt.KIND_DOOR",
  memory: "rt.KIND_MEMORY",
  process: "rt.KIND_PROCESS",
  thread: "rt.KIND_THREAD",
  lease: "rt.KIND_LEASE",
};

function rightsExpr(type: IrDescType | IrLeaseType): string {
  const rights: readonly IrRight[] =
    type.kind === "desc" ? type.rights : type.access === "readwrite" ? ["read", "write"] : [type.access];
  return rights.length === 0 ? "0" : rights.map((r) => `rt.RIGHT_${r.toUpperCase()}`).join(" | ");
}

export function interfaceView(iface: IrInterface, scope: Scope): InterfaceView {
  const stubs = iface.methods.filter((m) => !m.trap);
  const chunks = [constantsChunk(iface, stubs)];
  if (stubs.length > 0) {
    for (const m of stubs) chunks.push(...methodChunks(iface, m, scope));
    chunks.push(clientChunk(iface, stubs, scope), serverChunk(iface, stubs), dispatcherChunk(iface, stubs));
    for (const m of stubs) chunks.push(handlerChunk(iface, m));
    chunks.push(serveChunk(iface));
  }
  return { name: iface.name, chunks };
}

function join(lines: readonly string[]): string {
  return lines.join("\n");
}

function typeBase(iface: IrInterface, m: IrMethod): string {
  return `${iface.name}${pascal(m.name)}`;
}

function constantsChunk(iface: IrInterface, stubs: readonly IrMethod[]): string {
  const sizes = (msg: IrMessage) =>
    `{ fixed: ${msg.fixedSize}, max: ${msg.maxDataSize}, descriptors: ${msg.descriptors}, total: ${msg.totalSize} }`;
  return join([
    `/** Bytes of message buffer that any call of ${iface.name} needs. */`,
    `export const ${screaming(iface.name)}_BUFFER_SIZE = ${iface.bufferSize};`,
    "",
    `/** msgFunction of each method of ${iface.name}. */`,
    `export const ${iface.name}Fn = {`,
    ...iface.methods.map((m) => `  ${m.name}: ${hex(m.fn)},`),
    "} as const;",
    ...(stubs.length === 0
      ? []
      : [
          "",
          `/** Message sizes of each method of ${iface.name}, in bytes (docs/abi.md). */`,
          `export const ${iface.name}Sizes = {`,
          ...stubs.flatMap((m) => [
            `  ${m.name}: {`,
            `    request: ${sizes(m.request)},`,
            `    reply: ${sizes(m.reply)},`,
            `    buffer: ${m.bufferSize},`,
            "  },",
          ]),
          "} as const;",
        ]),
  ]);
}

function fieldLines(params: readonly IrParam[], scope: Scope, optional = ""): string[] {
  return params.flatMap((p) => [...docLines(p.doc, "  "), `  ${p.name}${optional}: ${tsType(p.type, scope)};`]);
}

function checkReplyNames(iface: IrInterface, m: IrMethod): void {
  for (const p of m.reply.params) {
    if (p.name === "retval" || p.name === "errno") {
      throw new EmitError(`${iface.name}.${m.name}: an out-parameter may not be named '${p.name}' (the reply's own words)`);
    }
  }
}

/** The Request / Reply / Result types and the four message codecs of a method. */
function methodChunks(iface: IrInterface, m: IrMethod, scope: Scope): string[] {
  checkReplyNames(iface, m);
  const base = typeBase(iface, m);
  const label = `${iface.name}.${m.name}`;
  const status = ["  retval: number;", "  errno: number;"];
  const types = join([
    `/** ${label}: the request as the server sees it. */`,
    ...(m.request.params.length === 0
      ? [`export interface ${base}Request {}`]
      : [`export interface ${base}Request {`, ...fieldLines(m.request.params, scope), "}"]),
    "",
    `/** ${label}: what the implementation returns; retval and errno default to 0. */`,
    `export interface ${base}Reply {`,
    "  retval?: number;",
    "  errno?: number;",
    ...fieldLines(m.reply.params, scope),
    "}",
    "",
    `/** ${label}: what the client gets from a normal reply. */`,
    `export interface ${base}Result {`,
    ...status,
    ...fieldLines(m.reply.params, scope),
    "}",
  ]);
  const requestArgs = m.request.params.map((p) => `${localName(p.name)}: ${tsType(p.type, scope)}`);
  return [
    types,
    join(
      functionLines(
        [`/** Encodes ${label}'s request into the frame; returns msgDataSize. */`],
        `export function encode${base}Request`,
        ["f: rt.Frame", ...requestArgs],
        "number",
        encodeMessage(m.request, m.name, (p) => localName(p.name), scope, []),
      ),
    ),
    join(
      functionLines(
        [`/** Decodes and validates ${label}'s request. */`],
        `export function decode${base}Request`,
        ["f: rt.Frame", "size: number", "descs: number"],
        `${base}Request`,
        decodeMessage(m.request, `${label} request`, m.name, scope, []),
      ),
    ),
    join(
      functionLines(
        [`/** Encodes ${label}'s reply into the frame; returns msgDataSize. */`],
        `export function encode${base}Reply`,
        ["f: rt.Frame", `r: ${base}Reply`],
        "number",
        encodeMessage(m.reply, m.name, (p) => `r.${p.name}`, scope, [
          "const retval = r.retval ?? 0;",
          "const errno = r.errno ?? 0;",
          ...primitiveLines("i32", "0", "retval", '"retval"', 2),
          ...primitiveLines("i32", "4", "errno", '"errno"', 2),
        ]),
      ),
    ),
    join(
      functionLines(
        [`/** Decodes and validates ${label}'s reply. */`],
        `export function decode${base}Reply`,
        ["f: rt.Frame", "size: number", "descs: number"],
        `${base}Result`,
        decodeMessage(m.reply, `${label} reply`, m.name, scope, [
          "retval: view.getInt32(0, true),",
          "errno: view.getInt32(4, true),",
        ]),
      ),
    ),
  ];
}

const statusSpans = [
  { offset: 0, size: 4 },
  { offset: 4, size: 4 },
];

function encodeMessage(
  msg: IrMessage,
  method: string,
  value: (p: IrParam) => string,
  scope: Scope,
  header: readonly string[],
): string[] {
  const locals = new Locals();
  const data = msg.params.flatMap((p) => (p.place === "data" ? [p] : []));
  const spans = [...(header.length > 0 ? statusSpans : []), ...data.map((p) => ({ offset: p.offset, size: p.type.size }))];
  return [
    `f.end = ${msg.fixedSize};`,
    ...header,
    ...data.flatMap((p) => encodeLines(p.type, String(p.offset), value(p), `${method}.${p.name}`, scope, locals)),
    ...paddingLines("0", msg.fixedSize, spans),
    ...finishLines(msg),
    ...msg.params.flatMap((p) => (p.place === "descriptor" ? descriptorLines(msg, p.index, value(p), `${method}.${p.name}`) : [])),
    "return size;",
  ];
}

/** `size`: constant, with its padding zeroed here, when nothing in the message has a variable size. */
function finishLines(msg: IrMessage): string[] {
  if (msg.maxDataSize !== msg.fixedSize) return ["const size = rt.finishData(f);"];
  const padding: string[] = [];
  for (let i = msg.fixedSize; i % 4 !== 0; i++) padding.push(`view.setUint8(${i}, 0);`);
  return [...padding, `const size = ${msg.fixedSize};`];
}

/**
 * Writes descriptor `index`: an inline check that calls rt.writeDescriptor
 * (which throws with the reason) only for a bad value, then the store.
 */
function descriptorLines(msg: IrMessage, index: number, value: string, label: string): string[] {
  const call = `rt.writeDescriptor(f, size, ${index}, ${value}, "${label}");`;
  if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)?$/.test(value)) return [call];
  const at =
    msg.maxDataSize === msg.fixedSize
      ? String(((msg.fixedSize + 3) & ~3) + 4 * index)
      : index === 0
        ? "(size + 3) & ~3"
        : `((size + 3) & ~3) + ${4 * index}`;
  const fails = `${value} >>> 0 !== ${value} || ${value} === 0`;
  const store = `view.setUint32(${at}, ${value}, true);`;
  if (2 + `if (${fails}) ${call}`.length <= PRINT_WIDTH) return [`if (${fails}) ${call}`, store];
  if (2 + `if (${fails}) {`.length <= PRINT_WIDTH) return [`if (${fails}) {`, `  ${call}`, "}", store];
  return [call];
}

/**
 * The sizes are checked inline; only a message that fails them calls
 * rt.beginDecode, which throws with the reason (and sets the same bounds).
 */
function decodeMessage(msg: IrMessage, what: string, method: string, scope: Scope, header: readonly string[]): string[] {
  const locals = new Locals();
  const sizes =
    msg.fixedSize === msg.maxDataSize
      ? [`size !== ${msg.fixedSize}`]
      : msg.fixedSize === 0
        ? [`size > ${msg.maxDataSize}`]
        : [`size < ${msg.fixedSize}`, `size > ${msg.maxDataSize}`];
  const fails = [...sizes, `descs !== ${msg.descriptors}`, ...(msg.totalSize > 0 ? [`f.bytes.length < ${msg.totalSize}`] : [])];
  // Slots and descriptors are read within these bounds (rt.readString, rt.readDescriptor).
  const bounded = msg.maxDataSize !== msg.fixedSize || msg.descriptors > 0;
  const begin = [
    ...ifLines(fails, "  "),
    `  rt.beginDecode(f, size, descs, ${msg.fixedSize}, ${msg.maxDataSize}, ${msg.descriptors}, "${what}");`,
    "}",
    ...(bounded ? [`f.start = ${msg.fixedSize};`, "f.limit = size;"] : []),
  ];
  const parts = msg.params.map((p) =>
    p.place === "data"
      ? { p, d: decodeValue(p.type, String(p.offset), `${method}.${p.name}`, scope, locals) }
      : { p, d: { lines: [], expr: `rt.readDescriptor(f, ${p.index}, "${method}.${p.name}")` } },
  );
  const fields = [...header, ...parts.map(({ p, d }) => `${p.name}: ${d.expr},`)];
  return [
    ...begin,
    ...parts.flatMap(({ d }) => d.lines),
    ...(fields.length === 0 ? ["return {};"] : ["return {", ...fields.map((l) => `  ${l}`), "};"]),
  ];
}

/** `if (a || b) {` at `indent`, broken one condition per line as Prettier does when too wide. */
function ifLines(conditions: readonly string[], indent: string): string[] {
  const one = `if (${conditions.join(" || ")}) {`;
  if (indent.length + one.length <= PRINT_WIDTH) return [one];
  return ["if (", ...conditions.map((c, i) => `  ${c}${i < conditions.length - 1 ? " ||" : ""}`), ") {"];
}

function hasLease(m: IrMethod): boolean {
  return m.request.params.some((p) => p.type.kind === "lease");
}

/** The client method that sends lease descriptors: the method itself, or `<name>Leased` behind a lending wrapper. */
function leasedName(m: IrMethod): string {
  return hasLease(m) ? `${clientMethodName(m.name)}Leased` : clientMethodName(m.name);
}

/**
 * For a method with `lease<...>` parameters, the public method: it takes a
 * range of the caller's memory for each lease, lends them (runtime/leases.ts),
 * makes the call through `<name>Leased`, and closes the leases after.
 */
function leaseWrapper(iface: IrInterface, m: IrMethod, scope: Scope): string[] {
  if (!hasLease(m)) return [];
  const leases = m.request.params.filter((p) => p.type.kind === "lease");
  const params = m.request.params.map(
    (p) => `${localName(p.name)}: ${p.type.kind === "lease" ? "rt.UserRange" : tsType(p.type, scope)}`,
  );
  const ranges = leases.map((p) => localName(p.name));
  const access = leases.map((p) => (p.type.kind === "lease" ? `"${p.type.access}"` : ""));
  let n = 0;
  const args = m.request.params.map((p) => (p.type.kind === "lease" ? `lent[${n++}]!` : localName(p.name)));
  return [
    "",
    ...docLines(m.doc, "  "),
    ...fitList("  ", `async ${clientMethodName(m.name)}`, params, `: Promise<${typeBase(iface, m)}Result> {`),
    ...fitList("    ", "const lent = await rt.lendAll", [
      "this.trap",
      "this.frame",
      `[${ranges.join(", ")}]`,
      `[${access.join(", ")}]`,
    ], ";"),
    "    try {",
    ...fitList("      ", `return await this.${leasedName(m)}`, args, ";"),
    "    } finally {",
    "      await rt.endLeases(this.trap, this.frame, lent);",
    "    }",
    "  }",
  ];
}

function clientChunk(iface: IrInterface, stubs: readonly IrMethod[], scope: Scope): string {
  const targetParam = iface.rangeClass === "kernel" || iface.rangeClass === "procmgr" ? "target: rt.Descriptor = 0" : "target: rt.Descriptor";
  const lines = [
    ...(iface.doc === null
      ? [`/** Calls ${iface.name} through \`target\`, one call at a time (the client owns the buffer). */`]
      : docLines(iface.doc, "")),
    `export class ${iface.name}Client extends rt.DoorClient {`,
    ...fitList("  ", "constructor", ["trap: rt.Trap", "buffer: rt.MessageBuffer", targetParam], " {"),
    `    super(trap, buffer, target, ${screaming(iface.name)}_BUFFER_SIZE, "${iface.name}");`,
    "  }",
  ];
  for (const m of stubs) {
    const base = typeBase(iface, m);
    lines.push(...leaseWrapper(iface, m, scope));
    const params = m.request.params.map((p) => `${localName(p.name)}: ${tsType(p.type, scope)}`);
    const args = ["f", ...m.request.params.map((p) => localName(p.name))];
    // A method without in-parameters sends no data: nothing to encode.
    const encode =
      m.request.params.length === 0
        ? []
        : [
            "    let size: number;",
            "    try {",
            ...fitList("      ", `size = encode${base}Request`, args, ";"),
            "    } catch (error) {",
            "      throw rt.refusedArguments(error);",
            "    }",
          ];
    const descN = m.request.descriptors === 0 ? "" : ` | ${m.request.descriptors}`;
    const arg3 = m.request.params.length === 0 ? `${m.bufferSize} << 20${descN}` : `(${m.bufferSize} << 20) | (size << 8)${descN}`;
    lines.push(
      "",
      ...(hasLease(m)
        ? [`  /** ${clientMethodName(m.name)} with its leases already made (descriptors); ${clientMethodName(m.name)} makes them. */`]
        : docLines(m.doc, "  ")),
      ...fitList("  ", `async ${leasedName(m)}`, params, `: Promise<${base}Result> {`),
      "    const f = this.frame;",
      "    const args = this.args;",
      ...encode,
      `    args[0] = ${hex(m.fn)};`,
      "    args[1] = this.target;",
      "    args[2] = this.address;",
      `    args[3] = ${arg3};`,
      "    await this.trap.enter();",
      "    if (args[0] === -1) throw this.failure();",
      "    const reply = args[3]!;",
      "    try {",
      ...fitList("      ", `return decode${base}Reply`, ["f", "(reply >>> 8) & 0xfff", "reply & 0xff"], ";"),
      "    } catch (error) {",
      "      throw await this.refuseReply(error, reply);",
      "    }",
      "  }",
    );
  }
  lines.push("}");
  return join(lines);
}

function serverChunk(iface: IrInterface, stubs: readonly IrMethod[]): string {
  const lines = [
    ...(iface.doc === null ? [`/** What a server of ${iface.name} implements. */`] : docLines(iface.doc, "")),
    `export interface ${iface.name}Server {`,
  ];
  stubs.forEach((m, i) => {
    const base = typeBase(iface, m);
    const returns = m.reply.params.length === 0 ? `rt.Answer<${base}Reply | void>` : `rt.Answer<${base}Reply>`;
    if (i > 0) lines.push("");
    lines.push(
      ...docLines(m.doc, "  "),
      ...fitList("  ", serverMethodName(m.name), [`request: ${base}Request`, "call: rt.Call"], `: ${returns};`),
    );
  });
  lines.push("}");
  return join(lines);
}

function dispatcherChunk(iface: IrInterface, stubs: readonly IrMethod[]): string {
  return join([
    `/** Validates each request to ${iface.name} in full before the implementation sees it. */`,
    `export class ${iface.name}Dispatcher implements rt.Dispatcher {`,
    `  readonly bufferSize = ${screaming(iface.name)}_BUFFER_SIZE;`,
    `  readonly impl: ${iface.name}Server;`,
    "",
    `  constructor(impl: ${iface.name}Server) {`,
    "    this.impl = impl;",
    "  }",
    "",
    "  dispatch(call: rt.Call): rt.Answer<rt.Outcome> {",
    "    switch (call.fn) {",
    ...stubs.flatMap((m) => [`      case ${hex(m.fn)}:`, `        return handle${typeBase(iface, m)}(this.impl, call);`]),
    "      default:",
    "        return rt.unknownFunction(call);",
    "    }",
    "  }",
    "}",
  ]);
}

/**
 * The handler of one method: decode and validate (asking the kernel about
 * declared descriptor kinds, which makes it async), call the implementation,
 * and encode its answer through `replyX`, synchronously when it can.
 */
function handlerChunk(iface: IrInterface, m: IrMethod): string {
  const base = typeBase(iface, m);
  const checks = m.request.params.flatMap((p) => {
    if (p.place !== "descriptor") return [];
    const kind = p.type.kind === "lease" ? "rt.KIND_LEASE" : kinds[p.type.objectKind];
    const rights = rightsExpr(p.type);
    if (kind === "0" && rights === "0") return [];
    return fitList("    ", "await call.checkDescriptor", [`request.${p.name}`, kind, rights, `"${m.name}.${p.name}"`], ";");
  });
  const head = checks.length > 0 ? `async function handle${base}` : `function handle${base}`;
  const returns = checks.length > 0 ? "Promise<rt.Outcome>" : "rt.Answer<rt.Outcome>";
  const reply = m.reply.params.length === 0 ? `${base}Reply | void` : `${base}Reply`;
  const encode =
    m.reply.params.length === 0 ? `encode${base}Reply(call.frame, reply ?? rt.noReply)` : `encode${base}Reply(call.frame, reply)`;
  return join([
    ...fitList("", head, [`impl: ${iface.name}Server`, "call: rt.Call"], `: ${returns} {`),
    `  let request: ${base}Request;`,
    "  try {",
    ...fitList("    ", `request = decode${base}Request`, ["call.frame", "call.dataSize", "call.descCount"], ";"),
    ...checks,
    "  } catch (error) {",
    "    return rt.rejected(error);",
    "  }",
    ...fitList("  ", "return rt.answered", [`impl.${serverMethodName(m.name)}(request, call)`, "call", `reply${base}`], ";"),
    "}",
    "",
    ...fitList("", `function reply${base}`, ["call: rt.Call", `reply: ${reply}`], ": rt.Outcome {"),
    ...fitList("  ", "return call.replied", [encode, String(m.reply.descriptors)], ";"),
    "}",
  ]);
}

function serveChunk(iface: IrInterface): string {
  return join([
    `/** Serves ${iface.name} on \`object\` (a descriptor with RECEIVE) until receiving fails. */`,
    ...fitList(
      "",
      `export function serve${iface.name}`,
      ["trap: rt.Trap", "buffer: rt.MessageBuffer", "object: rt.Descriptor", `impl: ${iface.name}Server`, "options?: rt.ServeOptions"],
      ": Promise<never> {",
    ),
    ...fitList("  ", "return rt.serve", ["trap", "buffer", "object", `new ${iface.name}Dispatcher(impl)`, "options"], ";"),
    "}",
  ]);
}

/**
 * Views of the layout in an IR, for `doorkit layout`: box diagrams of every
 * struct and of every method's request and reply buffer (drawn like the
 * message buffer of docs/abi.md, offsets on the left), and the same facts as
 * JSON. Reads only the IR.
 */
import type { Ir, IrDataType, IrInterface, IrMessage, IrMethod, IrParam, IrStruct, IrType } from "./ir.js";

export function typeText(t: IrType): string {
  switch (t.kind) {
    case "primitive":
      return t.name;
    case "enum":
    case "struct":
      return t.name;
    case "array":
      return `array<${typeText(t.element)}, ${t.length}>`;
    case "vector":
      return `vector<${typeText(t.element)}, ${t.maxLength}>`;
    case "string":
    case "bytes":
      return `${t.kind}<${t.maxLength}>`;
    case "desc":
      return t.rights.length === 0 ? `desc<${t.objectKind}>` : `desc<${t.objectKind}, ${t.rights.join(" | ")}>`;
    case "lease":
      return `lease<${t.access}>`;
  }
}

interface Row {
  readonly offset: number | null;
  readonly label: string;
}

const WIDTH = 60;

function box(rows: readonly Row[], end: number): string[] {
  const rule = `       +${"-".repeat(WIDTH)}+`;
  const out = [rule];
  if (rows.length === 0) out.push(`${"".padStart(6)} | ${"(empty)".padEnd(WIDTH - 2)} |`, rule);
  for (const r of rows) {
    const at = r.offset === null ? "" : String(r.offset);
    const label = r.label.length > WIDTH - 2 ? `${r.label.slice(0, WIDTH - 5)}...` : r.label;
    out.push(`${at.padStart(6)} | ${label.padEnd(WIDTH - 2)} |`, rule);
  }
  out.push(String(end).padStart(6));
  return out;
}

/** Data rows at their offsets, with the padding between and after them. */
function dataRows(fields: readonly { name: string; type: IrDataType; offset: number }[], fixedSize: number): Row[] {
  const rows: Row[] = [];
  let cursor = 0;
  for (const f of fields) {
    if (f.offset > cursor) rows.push({ offset: cursor, label: `(padding, ${f.offset - cursor})` });
    const slot =
      f.type.kind === "string" || f.type.kind === "bytes" || f.type.kind === "vector" ? " {u16 offset; u16 count}" : "";
    rows.push({ offset: f.offset, label: `${f.name}: ${typeText(f.type)}${slot}` });
    cursor = f.offset + f.type.size;
  }
  if (fixedSize > cursor) rows.push({ offset: cursor, label: `(padding, ${fixedSize - cursor})` });
  return rows;
}

function structText(s: IrStruct): string[] {
  const head = `struct ${s.name}  size ${s.size}, align ${s.align}${s.variable ? `, up to ${s.maxOutOfLine} bytes of contents after the message's fixed part` : ""}`;
  return [head, ...box(dataRows(s.fields, s.size), s.size)];
}

function messageRows(m: IrMessage, reply: boolean): Row[] {
  const data = m.params.filter((p): p is Extract<IrParam, { place: "data" }> => p.place === "data");
  const header = reply
    ? [
        { name: "retval", type: { kind: "primitive", name: "i32", size: 4, align: 4 } as const, offset: 0 },
        { name: "errno", type: { kind: "primitive", name: "i32", size: 4, align: 4 } as const, offset: 4 },
      ]
    : [];
  const rows = dataRows([...header, ...data], m.fixedSize);
  const variable = data.filter(
    (p) =>
      p.type.kind === "string" ||
      p.type.kind === "bytes" ||
      p.type.kind === "vector" ||
      (p.type.kind === "struct" && p.type.variable),
  );
  if (m.maxDataSize > m.fixedSize) {
    const names = variable.map((p) => p.name).join(", ");
    rows.push({ offset: m.fixedSize, label: `contents of ${names}, up to ${m.maxDataSize - m.fixedSize}` });
  }
  const dataEnd = Math.ceil(m.maxDataSize / 4) * 4;
  if (dataEnd > m.maxDataSize) rows.push({ offset: m.maxDataSize, label: "(padding to 4)" });
  for (const p of m.params) {
    if (p.place === "descriptor")
      rows.push({ offset: dataEnd + 4 * p.index, label: `descriptor ${p.index}: ${p.name}: ${typeText(p.type)}` });
  }
  return rows;
}

/** The message drawn in the method's whole buffer, as docs/abi.md draws the message buffer. */
function messageText(title: string, m: IrMessage, reply: boolean, bufferSize: number): string[] {
  const head = `  ${title}: fixed ${m.fixedSize}, max data ${m.maxDataSize}, ${m.descriptors} descriptor${m.descriptors === 1 ? "" : "s"}, total ${m.totalSize}`;
  const rows = messageRows(m, reply);
  if (bufferSize > m.totalSize) {
    rows.push({ offset: m.totalSize, label: reply ? "(rest of the buffer)" : "(room for the reply)" });
  }
  return [head, ...box(rows, Math.max(bufferSize, m.totalSize))];
}

function fnText(fn: number): string {
  return `0x${fn.toString(16).toUpperCase().padStart(4, "0")}`;
}

function methodText(iface: IrInterface, m: IrMethod): string[] {
  const from = m.declaredIn === iface.name ? "" : ` (from ${m.declaredIn})`;
  if (m.trap) return [`${iface.name}.${m.name}  fn ${fnText(m.fn)}${from}  @trap: arguments in registers, no message`];
  return [
    `${iface.name}.${m.name}  fn ${fnText(m.fn)}${from}  buffer ${m.bufferSize}`,
    ...messageText("request", m.request, false, m.bufferSize),
    ...messageText("reply", m.reply, true, m.bufferSize),
  ];
}

/** The text form of `doorkit layout`. */
export function layoutText(ir: Ir): string {
  const sections: string[][] = [];
  for (const file of ir.files) {
    for (const s of file.structs) sections.push(structText(s));
    for (const i of file.interfaces) {
      sections.push([
        `interface ${i.name} : ${i.rangeClass}  ${fnText(i.range.first)}-${fnText(i.range.last)}, buffer ${i.bufferSize}`,
      ]);
      for (const m of i.methods) sections.push(methodText(i, m));
    }
  }
  return sections.map((s) => s.join("\n")).join("\n\n") + "\n";
}

function messageJson(m: IrMessage) {
  return {
    fixedSize: m.fixedSize,
    maxDataSize: m.maxDataSize,
    descriptors: m.descriptors,
    totalSize: m.totalSize,
    params: m.params.map((p) =>
      p.place === "data"
        ? { name: p.name, place: p.place, offset: p.offset, size: p.type.size }
        : { name: p.name, place: p.place, index: p.index },
    ),
  };
}

/** The JSON form of `doorkit layout --json`. */
export function layoutJson(ir: Ir) {
  return {
    structs: ir.files.flatMap((f) =>
      f.structs.map((s) => ({
        name: s.name,
        size: s.size,
        align: s.align,
        fields: s.fields.map((x) => ({ name: x.name, offset: x.offset, size: x.type.size })),
      })),
    ),
    methods: ir.files.flatMap((f) =>
      f.interfaces.flatMap((i) =>
        i.methods.map((m) => ({
          interface: i.name,
          name: m.name,
          fn: m.fn,
          trap: m.trap,
          request: messageJson(m.request),
          reply: messageJson(m.reply),
          bufferSize: m.bufferSize,
        })),
      ),
    ),
  };
}

/**
 * Meaning of number and string literals (docs/idl.md, "Lexical structure").
 * The lexer accepts any digit-led word and any quoted run on one line, so the
 * checks here are what decide validity; problems come back as data, with the
 * offset (in the literal) and length of the bad part.
 */

export type LiteralProblem =
  | { readonly kind: "malformed-number" }
  | { readonly kind: "unterminated-string" }
  | { readonly kind: "invalid-escape"; readonly escape: string; readonly offset: number; readonly length: number };

const decimal = /^[0-9][0-9_]*$/;
const hex = /^0[xX][0-9a-fA-F_]*$/;
const binary = /^0[bB][01_]*$/;

/** `image` is the literal without its optional leading `-`. */
export function numberValue(image: string, negative: boolean): { value: bigint; problem: LiteralProblem | null } {
  const digits = image.replace(/_/g, "");
  let ok: boolean;
  if (/^0[xX]/.test(image)) ok = hex.test(image) && digits.length > 2;
  else if (/^0[bB]/.test(image)) ok = binary.test(image) && digits.length > 2;
  else ok = decimal.test(image);
  if (!ok) return { value: 0n, problem: { kind: "malformed-number" } };
  const value = BigInt(digits);
  return { value: negative ? -value : value, problem: null };
}

/** `raw` includes the quotes (the closing one may be missing: unterminated). */
export function stringValue(raw: string): { value: string; problems: LiteralProblem[] } {
  const problems: LiteralProblem[] = [];
  const closed = raw.length >= 2 && raw.endsWith('"') && !isEscaped(raw, raw.length - 1);
  if (!closed) problems.push({ kind: "unterminated-string" });
  const body = raw.slice(1, closed ? -1 : raw.length);
  let value = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      value += c;
      continue;
    }
    const next = body[i + 1];
    if (next === '"' || next === "\\") value += next;
    else if (next === "n") value += "\n";
    else if (next === "t") value += "\t";
    else if (next === "u") {
      const m = /^u\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 1));
      const code = m ? Number.parseInt(m[1]!, 16) : -1;
      if (m && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)) {
        value += String.fromCodePoint(code);
        i += m[0].length;
        continue;
      }
      const end = body.indexOf("}", i);
      const length = end > i && end - i <= 10 ? end - i + 1 : 2;
      problems.push({ kind: "invalid-escape", escape: body.slice(i, i + length), offset: i + 1, length });
      i += length - 1;
      continue;
    } else {
      const length = next === undefined ? 1 : 2;
      problems.push({ kind: "invalid-escape", escape: body.slice(i, i + length), offset: i + 1, length });
    }
    i++;
  }
  return { value, problems };
}

function isEscaped(raw: string, at: number): boolean {
  let slashes = 0;
  for (let i = at - 1; i >= 0 && raw[i] === "\\"; i--) slashes++;
  return slashes % 2 === 1;
}

/** A string literal that reads back as `value`, for tools that write IDL. */
export function quoteString(value: string): string {
  let out = '"';
  for (const c of value) {
    if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r" || (c.codePointAt(0)! < 0x20)) out += `\\u{${c.codePointAt(0)!.toString(16)}}`;
    else out += c;
  }
  return `${out}"`;
}

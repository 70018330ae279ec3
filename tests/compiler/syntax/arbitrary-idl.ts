/**
 * fast-check generators of IDL text for the syntax and formatter properties
 * (tests/compiler/syntax, tests/compiler/format, fuzz/syntax.fuzz.ts):
 * grammatical files with random spacing, comments and doc comments between
 * any two tokens; and mutations of them, which are mostly not grammatical.
 */
import fc from "fast-check";

type Tokens = readonly string[];

const names = fc.constantFrom("a", "b", "Foo", "x1", "_y", "MAX", "Mode", "door", "read");
const typeNames = fc.constantFrom("u8", "u32", "i64", "bool", "Foo", "Stat", "array", "string", "vector", "desc", "lease");
const numbers = fc.constantFrom("0", "1", "42", "0x1F", "0X10", "0b101", "1_000", "-3", "-0x8000", "0xFF_FF");
const strings = fc.constantFrom('"a"', '"types.idl"', '"a\\"b"', '"\\u{41}\\n"', '""');
const operators = fc.constantFrom("|", "&", "<<", ">>", "+", "-", "*", "/");

const atom: fc.Arbitrary<Tokens> = fc.oneof(
  numbers.map((n) => [n]),
  strings.map((s) => [s]),
  fc.constantFrom(["true"], ["false"]),
  names.map((n) => [n]),
  fc.tuple(names, names).map(([a, b]) => [a, ".", b]),
);

const exprs = fc.letrec<{ expr: Tokens }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 3, depthIdentifier: "expr" },
    atom,
    fc.tuple(tie("expr"), operators, tie("expr")).map(([a, op, b]) => [...a, op, ...b]),
    tie("expr").map((e) => ["(", ...e, ")"]),
  ),
})).expr;

const types = fc.letrec<{ type: Tokens }>((tie) => ({
  type: fc.oneof(
    { maxDepth: 2, depthIdentifier: "type" },
    typeNames.map((n) => [n]),
    fc
      .tuple(typeNames, fc.array(fc.oneof(tie("type"), exprs), { minLength: 1, maxLength: 3 }))
      .map(([n, args]) => [n, "<", ...join(args, ","), ">"]),
  ),
})).type;

function join(parts: readonly Tokens[], separator: string): Tokens {
  return parts.flatMap((p, i) => (i === 0 ? [...p] : [separator, ...p]));
}

const attribute: fc.Arbitrary<Tokens> = fc.tuple(names, fc.option(exprs, { nil: undefined })).map(([n, v]) =>
  v === undefined ? ["@", n] : ["@", n, "(", ...v, ")"],
);
const attributes = fc.array(attribute, { maxLength: 2 }).map((list) => list.flat());
const trailingComma = fc.constantFrom([], [","]);

const field = fc.tuple(attributes, names, types).map(([a, n, t]) => [...a, n, ":", ...t]);
const params = fc
  .tuple(fc.array(field, { maxLength: 3 }), trailingComma)
  .map(([list, comma]) => (list.length === 0 ? [] : [...join(list, ","), ...comma]));

const method = fc
  .tuple(attributes, names, params, fc.option(params, { nil: undefined }), fc.option(exprs, { nil: undefined }))
  .map(([a, n, request, reply, ordinal]) => [
    ...a,
    n,
    "(",
    ...request,
    ")",
    ...(reply === undefined ? [] : ["->", "(", ...reply, ")"]),
    ...(ordinal === undefined ? [] : ["=", ...ordinal]),
    ";",
  ]);

const interfaceMember: fc.Arbitrary<Tokens> = fc.oneof(
  { weight: 4, arbitrary: method },
  { weight: 1, arbitrary: fc.array(exprs, { minLength: 1, maxLength: 3 }).map((l) => ["reserved", ...join(l, ","), ";"]) },
  { weight: 1, arbitrary: fc.array(names, { minLength: 1, maxLength: 2 }).map((l) => ["compose", ...join(l.map((n) => [n]), "."), ";"]) },
);

const declaration: fc.Arbitrary<Tokens> = fc.oneof(
  strings.map((s) => ["import", s, ";"]),
  fc.tuple(attributes, names, types, exprs).map(([a, n, t, v]) => [...a, "const", n, ":", ...t, "=", ...v, ";"]),
  fc
    .tuple(
      attributes,
      fc.constantFrom("enum", "bits"),
      names,
      fc.option(types, { nil: undefined }),
      fc.array(fc.tuple(attributes, names, exprs), { minLength: 1, maxLength: 4 }),
      trailingComma,
    )
    .map(([a, kw, n, base, members, comma]) => [
      ...a,
      kw,
      n,
      ...(base === undefined ? [] : [":", ...base]),
      "{",
      ...join(members.map(([ma, mn, mv]) => [...ma, mn, "=", ...mv]), ","),
      ...comma,
      "}",
    ]),
  fc
    .tuple(attributes, names, fc.array(field, { maxLength: 4 }))
    .map(([a, n, fields]) => [...a, "struct", n, "{", ...fields.flatMap((f) => [...f, ";"]), "}"]),
  fc
    .tuple(attributes, names, names, fc.array(interfaceMember, { maxLength: 4 }))
    .map(([a, n, c, members]) => [...a, "interface", n, ":", c, "{", ...members.flat(), "}"]),
);

/** What may separate two tokens: always some space, so that tokens never merge. */
const trivia = fc.constantFrom(
  " ",
  " ",
  " ",
  "\n",
  "\n    ",
  "\n\n",
  "\t",
  " /* c */ ",
  " /* two\n  lines */\n",
  " // c\n",
  "\n// c\n",
  "\n/// d\n",
  "\n/// d\n/// e\n",
  "\r\n",
  "\r",
  "\r\n/// d\r\n",
);

/** A grammatical IDL file with arbitrary layout and comments. */
export const idlText: fc.Arbitrary<string> = fc
  .array(declaration, { maxLength: 6 })
  .chain((decls) => {
    const tokens = decls.flat();
    return fc.array(trivia, { minLength: tokens.length + 1, maxLength: tokens.length + 1 }).map((gaps) => {
      let text = gaps[0]!;
      tokens.forEach((t, i) => (text += t + gaps[i + 1]!));
      return text;
    });
  });

const junk = fc.constantFrom("{", "}", "(", ")", "<", ">", ";", ",", ":", "=", "->", "@", ".", "/*", "*/", '"', "\\", "#", "0x", "struct", "interface", "x", "///", "\n", "é", "\u0000");

/** A grammatical file with a few random edits: deletions, insertions, duplications, truncation. */
export const mutatedIdlText: fc.Arbitrary<string> = fc
  .tuple(idlText, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.nat({ max: 3 }), junk), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    let out = text;
    for (const [at, length, kind, insert] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      if (kind === 0) out = out.slice(0, i) + out.slice(i + length);
      else if (kind === 1) out = out.slice(0, i) + insert + out.slice(i);
      else if (kind === 2) out = out.slice(0, i) + out.slice(i, i + length) + out.slice(i);
      else out = out.slice(0, i);
    }
    return out;
  });

/** Any text over an alphabet that makes IDL tokens, and some that do not. */
export const randomText: fc.Arbitrary<string> = fc
  .array(fc.oneof(junk, names, numbers, fc.constantFrom(" ", "\n", "const", "enum", "bits", "import", "reserved", "compose")), {
    maxLength: 60,
  })
  .map((parts) => parts.join(""));

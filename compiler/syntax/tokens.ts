/**
 * The IDL's tokens and its one lexer (docs/idl.md, "Lexical structure").
 *
 * Comments and doc comments are not skipped but put in token groups, so that
 * `build-ast.ts` can attach doc comments and the formatter can put ordinary
 * comments back. Malformed literals are lexed as whole tokens (`0x`, `12ab`,
 * an unterminated string) and reported by `build-ast.ts` with a precise
 * message, instead of as a run of confusing parse errors.
 */
import { Lexer, createToken, type TokenType } from "chevrotain";

/** Category of every parser-visible token: lets the parser skip junk at the top level. */
export const AnyToken = createToken({ name: "AnyToken", pattern: Lexer.NA });

/** Includes U+FEFF, so that a byte-order mark at the start of a file is ignored. */
const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });

/** `///` but not `////` (a decorative line of slashes is an ordinary comment). */
export const DocComment = createToken({
  name: "DocComment",
  pattern: /\/\/\/(?!\/)[^\n\r]*/,
  group: "docs",
});
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n\r]*/, group: "comments" });
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** A `/*` with no `*\/`: runs to the end of the file. */
export const UnterminatedComment = createToken({
  name: "UnterminatedComment",
  pattern: /\/\*[\s\S]*/,
  group: "errors",
  line_breaks: true,
});

/** Category of the binary operators, so that the parser takes any of them in one step. */
export const BinaryOperator = createToken({ name: "BinaryOperator", pattern: Lexer.NA });

function token(name: string, pattern: RegExp, extra: { longer_alt?: TokenType } = {}): TokenType {
  return createToken({ name, pattern, categories: [AnyToken], ...extra });
}

function operator(name: string, pattern: RegExp): TokenType {
  return createToken({ name, pattern, categories: [AnyToken, BinaryOperator] });
}

export const Identifier = token("Identifier", /[A-Za-z_][A-Za-z0-9_]*/);

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return token(name, new RegExp(word), { longer_alt: Identifier });
}

export const Import = keyword("import");
export const Const = keyword("const");
export const Enum = keyword("enum");
export const Bits = keyword("bits");
export const Struct = keyword("struct");
export const Interface = keyword("interface");
export const Reserved = keyword("reserved");
export const Compose = keyword("compose");
export const True = keyword("true");
export const False = keyword("false");

export const keywords: ReadonlySet<TokenType> = new Set([
  Import,
  Const,
  Enum,
  Bits,
  Struct,
  Interface,
  Reserved,
  Compose,
  True,
  False,
]);

/** Any run of digits and letters after a digit; `build-ast.ts` validates it. */
export const Integer = token("Integer", /[0-9][0-9A-Za-z_]*/);
export const StringLiteral = token("StringLiteral", /"(?:[^"\\\r\n]|\\[^\r\n])*"/);
/** A string cut short by the end of its line or of the file: parsed as a string, reported by `build-ast.ts`. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
  categories: [StringLiteral, AnyToken],
});

export const LCurly = token("LCurly", /\{/);
export const RCurly = token("RCurly", /\}/);
export const LParen = token("LParen", /\(/);
export const RParen = token("RParen", /\)/);
export const LShift = operator("LShift", /<</);
export const RShift = operator("RShift", />>/);
export const LAngle = token("LAngle", /</);
export const RAngle = token("RAngle", />/);
export const Comma = token("Comma", /,/);
export const Semicolon = token("Semicolon", /;/);
export const Colon = token("Colon", /:/);
export const Equals = token("Equals", /=/);
export const Arrow = token("Arrow", /->/);
export const Dot = token("Dot", /\./);
export const At = token("At", /@/);
export const Pipe = operator("Pipe", /\|/);
export const Amp = operator("Amp", /&/);
export const Plus = operator("Plus", /\+/);
export const Minus = operator("Minus", /-/);
export const Star = operator("Star", /\*/);
export const Slash = operator("Slash", /\//);

/** Order matters: the first pattern that matches wins, so longer forms come first. */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedComment,
  AnyToken,
  BinaryOperator,
  Import,
  Const,
  Enum,
  Bits,
  Struct,
  Interface,
  Reserved,
  Compose,
  True,
  False,
  Identifier,
  Integer,
  StringLiteral,
  UnterminatedString,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LShift,
  RShift,
  LAngle,
  RAngle,
  Comma,
  Semicolon,
  Colon,
  Equals,
  Arrow,
  Dot,
  At,
  Pipe,
  Amp,
  Plus,
  Minus,
  Star,
  Slash,
];

/**
 * Built once: chevrotain validates and optimizes the patterns here (and fails
 * loudly if a pattern defeats its first-character optimization). Full
 * position tracking gives tokens their end offsets, from which the parser
 * computes every CST node's range.
 */
export const idlLexer = new Lexer(allTokens as TokenType[], {
  positionTracking: "full",
  ensureOptimizations: true,
});

/** How a token type reads in "expected X" messages. */
export function describeTokenType(type: TokenType): string {
  switch (type.name) {
    case "Identifier":
      return "an identifier";
    case "Integer":
      return "a number";
    case "StringLiteral":
      return "a string";
    case "EOF":
      return "end of file";
    default: {
      const pattern = type.PATTERN;
      if (pattern instanceof RegExp) {
        const source = pattern.source.replace(/\\/g, "");
        return `'${source}'`;
      }
      return type.name;
    }
  }
}

/**
 * The IDL grammar (docs/idl.md) as one chevrotain `CstParser`, built once and
 * reused for every file. Error recovery is on: a syntax error is recorded and
 * parsing goes on, so that one run reports every error of a file; the CST it
 * returns may then hold recovered (partial) nodes, which `build-ast.ts` accepts.
 *
 * Error messages come from `syntaxMessages` below as the "expected" half only;
 * `parse-file.ts` adds what was found and turns them into diagnostics.
 */
import { CstParser, EOF, type IParserErrorMessageProvider, type TokenType } from "chevrotain";
import * as t from "./tokens.js";

const ruleDescriptions: Readonly<Record<string, string>> = {
  file: "a declaration",
  declaration: "'const', 'enum', 'bits', 'struct' or 'interface'",
  interfaceMember: "a method, 'reserved' or 'compose'",
  typeArg: "a type or a constant",
  atom: "a constant (number, string, true, false, name or '(')",
  enumMember: "an enum member",
  field: "a name",
};

function describeRule(ruleName: string, firstTokens: readonly TokenType[]): string {
  const known = ruleDescriptions[ruleName];
  if (known !== undefined) return known;
  const names = [...new Set(firstTokens.map(t.describeTokenType))];
  if (names.length === 0) return "something else";
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** The "expected ..." part of each syntax error. */
/** Where a list's closing token was expected, more of the list could come too. */
const closingDescriptions: Readonly<Record<string, string>> = {
  "structDecl RCurly": "a field or '}'",
  "interfaceDecl RCurly": "a method, 'reserved', 'compose' or '}'",
  "enumDecl RCurly": "',' or '}'",
  "type RAngle": "',' or '>'",
};

const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    closingDescriptions[`${ruleName} ${expected.name}`] ?? t.describeTokenType(expected),
  buildNotAllInputParsedMessage: () => "end of file",
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    describeRule(
      ruleName,
      expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0]).filter((x) => x !== undefined)),
    ),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    describeRule(ruleName, expectedIterationPaths.map((path) => path[0]).filter((x) => x !== undefined)),
};

/**
 * `{ ALT }` objects from plain arrow arguments. Written inline, `{ ALT: () => ... }`
 * gives each arrow a name, which tsx's name-keeping wraps in a call on every
 * parse of the rule; arguments get no name.
 */
function alts(...fns: (() => unknown)[]): { ALT: () => unknown }[] {
  return fns.map((ALT) => ({ ALT }));
}

const declarationStarts: ReadonlySet<TokenType> = new Set([
  t.Import,
  t.Const,
  t.Enum,
  t.Bits,
  t.Struct,
  t.Interface,
  t.At,
]);

export class IdlParser extends CstParser {
  constructor() {
    super(t.allTokens as TokenType[], {
      recoveryEnabled: true,
      nodeLocationTracking: "onlyOffset",
      maxLookahead: 3,
      errorMessageProvider: syntaxMessages,
    });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.MANY(() =>
      this.OR({
        // Decided by the first token alone, so that a broken import (`import "a.idl"`
        // with no `;`) is still parsed, and reported, as an import.
        MAX_LOOKAHEAD: 1,
        IGNORE_AMBIGUITIES: true,
        DEF: [
          { ALT: () => this.SUBRULE(this.importDecl) },
          { ALT: () => this.SUBRULE(this.declaration) },
          { ALT: () => this.SUBRULE(this.junk) },
        ],
      }),
    );
  });

  /** Tokens that cannot start a declaration, skipped and reported as one error. */
  junk = this.RULE("junk", () => {
    this.AT_LEAST_ONE({
      GATE: () => this.LA(1).tokenType !== EOF && !declarationStarts.has(this.LA(1).tokenType),
      DEF: () => this.CONSUME(t.AnyToken),
    });
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(t.Import);
    this.CONSUME(t.StringLiteral);
    this.CONSUME(t.Semicolon);
  });

  declaration = this.RULE("declaration", () => {
    this.MANY(() => this.SUBRULE(this.attribute));
    this.OR(
      alts(
        () => this.SUBRULE(this.constDecl),
        () => this.SUBRULE(this.enumDecl),
        () => this.SUBRULE(this.structDecl),
        () => this.SUBRULE(this.interfaceDecl),
      ),
    );
  });

  attribute = this.RULE("attribute", () => {
    this.CONSUME(t.At);
    this.CONSUME(t.Identifier);
    this.OPTION(() => {
      this.CONSUME(t.LParen);
      this.SUBRULE(this.constExpr);
      this.CONSUME(t.RParen);
    });
  });

  constDecl = this.RULE("constDecl", () => {
    this.CONSUME(t.Const);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.type);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.constExpr);
    this.CONSUME(t.Semicolon);
  });

  enumDecl = this.RULE("enumDecl", () => {
    this.OR(
      alts(
        () => this.CONSUME(t.Enum),
        () => this.CONSUME(t.Bits),
      ),
    );
    this.CONSUME(t.Identifier);
    this.OPTION(() => {
      this.CONSUME(t.Colon);
      this.SUBRULE(this.type);
    });
    this.CONSUME(t.LCurly);
    this.SUBRULE(this.enumMember);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.enumMember);
    });
    this.OPTION2(() => this.CONSUME2(t.Comma));
    this.CONSUME(t.RCurly);
  });

  enumMember = this.RULE("enumMember", () => {
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(t.Identifier);
    this.CONSUME(t.Equals);
    this.SUBRULE(this.constExpr);
  });

  structDecl = this.RULE("structDecl", () => {
    this.CONSUME(t.Struct);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.field);
      this.CONSUME(t.Semicolon);
    });
    this.CONSUME(t.RCurly);
  });

  /** A struct field or a method parameter. */
  field = this.RULE("field", () => {
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(t.Identifier);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.type);
  });

  interfaceDecl = this.RULE("interfaceDecl", () => {
    this.CONSUME(t.Interface);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.Colon);
    this.CONSUME2(t.Identifier, { LABEL: "rangeClass" });
    this.CONSUME(t.LCurly);
    this.MANY(() => this.SUBRULE(this.interfaceMember));
    this.CONSUME(t.RCurly);
  });

  interfaceMember = this.RULE("interfaceMember", () => {
    this.OR(
      alts(
        () => this.SUBRULE(this.method),
        () => this.SUBRULE(this.reservedDecl),
        () => this.SUBRULE(this.composeDecl),
      ),
    );
  });

  method = this.RULE("method", () => {
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(t.Identifier);
    this.CONSUME(t.LParen);
    this.OPTION(() => this.SUBRULE(this.params, { LABEL: "request" }));
    this.CONSUME(t.RParen);
    this.OPTION2(() => {
      this.CONSUME(t.Arrow);
      this.CONSUME2(t.LParen, { LABEL: "replyOpen" });
      this.OPTION3(() => this.SUBRULE2(this.params, { LABEL: "reply" }));
      this.CONSUME2(t.RParen);
    });
    this.OPTION4(() => {
      this.CONSUME(t.Equals);
      this.SUBRULE(this.constExpr);
    });
    this.CONSUME(t.Semicolon);
  });

  params = this.RULE("params", () => {
    this.SUBRULE(this.field);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.field);
    });
    this.OPTION(() => this.CONSUME2(t.Comma));
  });

  reservedDecl = this.RULE("reservedDecl", () => {
    this.CONSUME(t.Reserved);
    this.SUBRULE(this.constExpr);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.constExpr);
    });
    this.CONSUME(t.Semicolon);
  });

  composeDecl = this.RULE("composeDecl", () => {
    this.CONSUME(t.Compose);
    this.SUBRULE(this.nameRef);
    this.CONSUME(t.Semicolon);
  });

  type = this.RULE("type", () => {
    this.CONSUME(t.Identifier);
    this.OPTION(() => {
      this.CONSUME(t.LAngle);
      this.SUBRULE(this.typeArg);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.typeArg);
      });
      this.CONSUME(t.RAngle);
    });
  });

  /** `Name<...>` is a type; anything else a constant expression (a bare name is read as a type later). */
  typeArg = this.RULE("typeArg", () => {
    this.OR({
      MAX_LOOKAHEAD: 2,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(1).tokenType === t.Identifier && this.LA(2).tokenType === t.LAngle,
          ALT: () => this.SUBRULE(this.type),
        },
        { ALT: () => this.SUBRULE(this.constExpr) },
      ],
    });
  });

  /**
   * Operands and operators as a flat list; `build-ast.ts` groups them by
   * precedence. One rule instead of one per level keeps parsing fast and its
   * stack shallow.
   */
  constExpr = this.RULE("constExpr", () => {
    this.SUBRULE(this.atom, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(t.BinaryOperator, { LABEL: "operators" });
      this.SUBRULE2(this.atom, { LABEL: "operands" });
    });
  });

  atom = this.RULE("atom", () => {
    this.OR(
      alts(
        () => {
          this.OPTION(() => this.CONSUME(t.Minus));
          this.CONSUME(t.Integer);
        },
        () => this.CONSUME(t.StringLiteral),
        () => this.CONSUME(t.True),
        () => this.CONSUME(t.False),
        () => this.SUBRULE(this.nameRef),
        () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.constExpr);
          this.CONSUME(t.RParen);
        },
      ),
    );
  });

  nameRef = this.RULE("nameRef", () => {
    this.CONSUME(t.Identifier);
    this.MANY(() => {
      this.CONSUME(t.Dot);
      this.CONSUME2(t.Identifier);
    });
  });
}

/** The one parser instance; `parseFile` resets its input for each file. */
export const idlParser = new IdlParser();

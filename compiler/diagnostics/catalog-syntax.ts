/**
 * Syntax diagnostics, DK1xxx: everything `parseFile` can report. Each is
 * documented in docs/diagnostics.md and has a bad fixture in
 * tests/compiler/bad/dk-1xxx-*.idl. Numbers are never reused.
 */
import { defineError, defineWarning } from "./diagnostic.js";

export const ErrUnexpectedCharacter = defineError<[character: string]>(
  1001,
  "ErrUnexpectedCharacter",
  "unexpected character {0}",
);

export const ErrUnterminatedComment = defineError<[]>(
  1002,
  "ErrUnterminatedComment",
  "unterminated block comment: it is never closed",
);

export const ErrUnterminatedString = defineError<[]>(
  1003,
  "ErrUnterminatedString",
  "unterminated string: a string must close with '\"' on the same line",
);

export const ErrInvalidEscape = defineError<[escape: string]>(
  1004,
  "ErrInvalidEscape",
  "invalid escape '{0}' in string (use \\\" \\\\ \\n \\t or \\u{...})",
);

export const ErrMalformedNumber = defineError<[raw: string]>(
  1005,
  "ErrMalformedNumber",
  "malformed number '{0}'",
);

export const ErrUnexpectedToken = defineError<[expected: string, found: string]>(
  1006,
  "ErrUnexpectedToken",
  "expected {0}, found {1}",
);

export const ErrExpectedDeclaration = defineError<[found: string]>(
  1007,
  "ErrExpectedDeclaration",
  "expected 'import', 'const', 'enum', 'bits', 'struct' or 'interface', found {0}",
);

export const WarnDetachedDocComment = defineWarning<[]>(
  1008,
  "WarnDetachedDocComment",
  "doc comment is not attached to anything: put it right above a declaration, member, field, parameter or method, or use '//'",
);

export const ErrNestingTooDeep = defineError<[limit: number]>(
  1009,
  "ErrNestingTooDeep",
  "nested too deeply: at most {0} levels of parentheses and angle brackets",
);

export const ErrExpressionTooLong = defineError<[limit: number]>(
  1010,
  "ErrExpressionTooLong",
  "expression too long: at most {0} operators deep",
);

export const syntaxDiagnostics = [
  ErrUnexpectedCharacter,
  ErrUnterminatedComment,
  ErrUnterminatedString,
  ErrInvalidEscape,
  ErrMalformedNumber,
  ErrUnexpectedToken,
  ErrExpectedDeclaration,
  WarnDetachedDocComment,
  ErrNestingTooDeep,
  ErrExpressionTooLong,
] as const;

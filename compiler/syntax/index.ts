/** The syntax layer's public surface: text → AST with spans, plus syntax diagnostics. */
export { parseFile, type ParseResult } from "./parse-file.js";
export { quoteString } from "./literals.js";
export type * from "./ast.js";

/** The compiler's public surface: compile, the IR contract and diagnostics rendering. */
export { compile, type CompileResult, type CompilerHost } from "./compile.js";
export type * from "./ir/ir.js";
export { IR_VERSION } from "./ir/ir.js";
export type { Diagnostic } from "./diagnostics/diagnostic.js";
export { allDiagnostics } from "./diagnostics/catalog.js";

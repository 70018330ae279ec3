/** The check phase's public surface: loading the import closure, checking it into a model. */
export { loadFiles, defaultResolve, type CompilerHost, type LoadedFiles } from "./import-step.js";
export { checkFiles } from "./check.js";
export type * from "./model.js";
export { interfaceClosure, servedMethods, RANGES, NESTING_LIMIT } from "./model.js";

/** The formatter's public surface: one canonical layout of an IDL file. */
export { formatFile, formatText, type FormatResult } from "./format.js";

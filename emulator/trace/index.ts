/** Traces of a run: kernel IPC events decoded through the IR into records and lines. */
export { type IrIndex, formatParams, indexIr } from "./format-message.js";
export { type TraceEvent, type TraceRecord, type TraceSource, TraceLog, formatRecord } from "./trace-log.js";
export { imageTrace } from "./image-trace.js";
export { systemIr } from "./system-ir.js";

/** The IR: its contract (ir.ts, ir.schema.json), its emission, and the layout views read from it. */
export type * from "./ir.js";
export { IR_VERSION } from "./ir.js";
export { emitIr } from "./emit-ir.js";
export { layoutJson, layoutText, typeText } from "./layout-view.js";

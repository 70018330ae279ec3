export { layoutModel, type Layout } from "./layout-step.js";
export {
  layoutMessage,
  layoutMethod,
  MAX_BUFFER,
  MAX_DESCRIPTORS,
  type MessageLayout,
  type MethodLayout,
  type ParamPlace,
} from "./message-layout.js";
export {
  alignUp,
  layoutSequence,
  primitiveExtent,
  SLOT,
  TypeLayouter,
  type Extent,
  type StructLayout,
} from "./type-layout.js";

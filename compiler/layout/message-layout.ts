/**
 * Layout of one method's request and reply messages (docs/abi.md 1.3, 1.4):
 *
 *   request data = C struct of the data in-parameters, from offset 0
 *   reply data   = C struct { i32 retval; i32 errno; data out-parameters }
 *
 * followed by the out-of-line contents of variable-size parameters. Descriptor
 * and lease parameters take no data bytes: each gets the next index of the
 * descriptor area, in parameter order.
 *
 *   totalSize  = align4(maxDataSize) + 4 * descriptors
 *   bufferSize = max(request.totalSize, reply.totalSize)
 */
import { type Field, isDataType } from "../check/model.js";
import { alignUp, type Extent, layoutSequence, primitiveExtent, type TypeLayouter } from "./type-layout.js";

export type ParamPlace =
  { readonly place: "data"; readonly offset: number } | { readonly place: "descriptor"; readonly index: number };

export interface MessageLayout {
  /** Where each parameter goes, in parameter order. */
  readonly places: readonly ParamPlace[];
  readonly fixedSize: number;
  readonly maxDataSize: number;
  readonly descriptors: number;
  readonly totalSize: number;
}

export interface MethodLayout {
  readonly request: MessageLayout;
  readonly reply: MessageLayout;
  readonly bufferSize: number;
}

/** The largest message buffer the ABI allows (12-bit sizes). */
export const MAX_BUFFER = 4095;
/** msgDescN is 8 bits. */
export const MAX_DESCRIPTORS = 255;

/** Extents of the words every reply starts with: retval and errno. */
const REPLY_HEADER: readonly Extent[] = [primitiveExtent("i32"), primitiveExtent("i32")];

export function layoutMessage(
  params: readonly Field[],
  types: TypeLayouter,
  header: readonly Extent[] = [],
): MessageLayout {
  const dataExtents: Extent[] = [...header];
  let outOfLine = 0;
  let descriptors = 0;
  const isData = params.map((p) => isDataType(p.type));
  for (const p of params) {
    if (!isDataType(p.type)) continue;
    dataExtents.push(types.extent(p.type));
    outOfLine += types.outOfLine(p.type);
  }
  const seq = layoutSequence(dataExtents);
  let dataIndex = header.length;
  const places: ParamPlace[] = params.map((_, i) =>
    isData[i] ? { place: "data", offset: seq.offsets[dataIndex++]! } : { place: "descriptor", index: descriptors++ },
  );
  const maxDataSize = seq.size + outOfLine;
  return {
    places,
    fixedSize: seq.size,
    maxDataSize,
    descriptors,
    totalSize: alignUp(maxDataSize, 4) + 4 * descriptors,
  };
}

export function layoutMethod(request: readonly Field[], reply: readonly Field[], types: TypeLayouter): MethodLayout {
  const req = layoutMessage(request, types);
  const rep = layoutMessage(reply, types, REPLY_HEADER);
  return { request: req, reply: rep, bufferSize: Math.max(req.totalSize, rep.totalSize) };
}

/**
 * The doorkit runtime: everything generated stubs import, and nothing more.
 * Generated modules import it as a namespace (`import * as rt from ...`).
 */
export type { MessageBuffer, Trap } from "./trap.js";
export * from "./abi.js";
export { packMessage, packReceive, totalSizeOf, dataSizeOf, descCountOf, align4, fitsMessage } from "./registers.js";
export { DoorError, ReplyError, CodecError, malformed, refusedArguments, malformedReply } from "./errors.js";
export type { DoorErrorOrigin } from "./errors.js";
export {
  Frame,
  u8,
  i8,
  u16,
  i16,
  u32,
  i32,
  u64,
  i64,
  f64,
  flag,
  exactly,
  readBool,
  writeString,
  writeBytes,
  openVector,
  finishData,
  writeDescriptor,
  beginDecode,
  readString,
  readBytes,
  vectorAt,
  readDescriptor,
  utf8Encoder,
  isWellFormed,
  decodeUtf8,
} from "./message.js";
export { DoorClient } from "./client.js";
export { Call, serve, replied, rejected, unknownFunction, answered, noReply } from "./server.js";
export type { Answer, Dispatcher, Outcome, ServeEvent, ServeOptions } from "./server.js";
export {
  describeDescriptor,
  closeDescriptor,
  checkDescriptor,
  leaseRights,
  DESC_INFO_REQUEST_SIZE,
  DESC_INFO_REPLY_SIZE,
  DESC_CLOSE_REPLY_SIZE,
} from "./descriptors.js";
export type { Descriptor, Lease, DescriptorFacts } from "./descriptors.js";
export { createLease, withLease, lendAll, endLeases, ServerLease, LEASE_ACCESS, LEASE_CREATE, LEASE_READ, LEASE_WRITE, LEASE_INFO } from "./leases.js";
export type { LeaseAccessName, UserRange } from "./leases.js";

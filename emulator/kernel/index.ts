export * from "./abi.js";
export {
  Kernel,
  type KernelOptions,
  type SpawnOptions,
  type RunResult,
  type RunEnd,
  type ProcessInfo,
  type DescriptorInfo,
} from "./kernel.js";
export { type IpcEvent, type IpcEventKind, type TraceHook, snapshot } from "./trace.js";
export { KERNEL_CALLS } from "./kernel-calls.js";
export { USER_FIRST, USER_END, HEAP_BASE, STACK_TOP, STACK_STRIDE, PROT_READ, PROT_WRITE } from "./address-space.js";
export { type Backing } from "./memory-object.js";
export { LEASE_READ, LEASE_WRITE, LEASE_READWRITE } from "./lease.js";
export { TRAP_MESSAGE_SIZE, TRAP_REPLY_SIZE, TRAP_FN_SYSTEM, TRAP_FN_USER } from "./sandbox.js";

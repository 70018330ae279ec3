export type { ProgramEntry, Sys, UserMemory, KernelCalls, DescInfo } from "./program.js";
export { PageFaultError, FAULT_STATUS } from "./program.js";
export { KernelClient } from "./kernel-client.js";

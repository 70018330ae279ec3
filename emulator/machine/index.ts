export * from "./addresses.js";
export { PhysicalMemory, MAX_FRAME_REFS } from "./physical-memory.js";
export * from "./paging.js";
export * from "./registers.js";
export * from "./traps.js";
export { Machine, DEFAULT_MEMORY_BYTES, type MachineOptions } from "./machine.js";

/** The emulator's public surface: the machine, the kernel and the program API. */
export * as machine from "./machine/index.js";
export * from "./kernel/index.js";
export * from "./program/index.js";

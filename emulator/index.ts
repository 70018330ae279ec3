/** The machine, the kernel and the program API (procmgr/, image/ and trace/ export their own). */
export * as machine from "./machine/index.js";
export * from "./kernel/index.js";
export * from "./program/index.js";

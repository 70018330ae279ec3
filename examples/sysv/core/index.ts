/** The System V IPC core: pure semantics, no I/O (README.md). */
export * from "./constants.js";
export * from "./errno.js";
export type { Context, Received, SysvEvent } from "./events.js";
export type { Caller, IpcPerm, PermSet } from "./ipc-perm.js";
export type { MsgctlValue, MsqSet, MsqidDs } from "./msg.js";
export type { Blocked, Failed, Ok, Outcome, Result, WaiterToken } from "./result.js";
export type { SemArg, SemBuf, SemctlValue, SemidDs, Timespec } from "./sem.js";
export type { ShmAttach, ShmctlValue, ShmidDs } from "./shm.js";
export { SysV, type CancelReason, type SysvOptions } from "./sysv.js";

/** The process manager: its policy, its state, the program, and booting an image. */
export { Errno } from "./errno.js";
export { NAME_MAX, checkName, isUnder, isValidPrefix } from "./names.js";
export {
  type Decision,
  decideCreate,
  decideList,
  decideLookup,
  decideSpawn,
  mayReach,
  objectTypeFor,
} from "./policy.js";
export { type ListEntry, type NameEntry, Namespace, type ObjectRefs } from "./namespace.js";
export {
  EVENT_EXIT,
  MAX_OBJECTS_PER_PROCESS,
  MAX_SUBSCRIPTIONS_PER_PROCESS,
  PROCMGR_PID,
  ProcessManager,
  type ProcmgrKernel,
} from "./manager.js";
export { MAX_LIVE_CHILDREN, type ProcmgrConfig, type ProcmgrHost, procmgrProgram } from "./procmgr-program.js";
export { type BootOptions, type BootOutcome, type BootResult, type ImageProgramMain, bootImage } from "./boot.js";

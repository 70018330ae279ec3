/** The errno values System V IPC answers with: Linux's (docs/abi.md 1.8). */
import { errnoName as abiErrnoName } from "../../../runtime/abi.js";

export {
  E2BIG,
  EACCES,
  EAGAIN,
  EEXIST,
  EFAULT,
  EIDRM,
  EINTR,
  EINVAL,
  ENOENT,
  ENOMSG,
  ENOSPC,
  ENOSYS,
  EPERM,
  ERANGE,
} from "../../../runtime/abi.js";

/** Not in the kernel ABI's list; semop(2) uses it for a sem_num out of range. */
export const EFBIG = 27;

/** `EIDRM` for 43, and `EFBIG` too. */
export function errnoName(errno: number): string {
  return errno === EFBIG ? "EFBIG" : abiErrnoName(errno);
}

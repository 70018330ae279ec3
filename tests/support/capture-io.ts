import type { Io } from "../../cli/command.js";

/** An `Io` for calling commands in tests: collects what they print. */
export function capture(): Io & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    isTty: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

/**
 * examples/sysv/manifest.json: the image builds, and booting it runs the
 * message and semaphore ping-pong between two processes through sysvd
 * registered with the process manager; the trace decodes the Sysv calls.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Io } from "../../../cli/command.js";
import { runImage } from "../../../cli/commands/run.js";
import { buildImage } from "../../../emulator/image/build.js";
import { compileInterfaces } from "../../../emulator/image/compile-interfaces.js";
import { readImage } from "../../../emulator/image/read.js";

const manifest = fileURLToPath(new URL("../../../examples/sysv/manifest.json", import.meta.url));

function capture(): Io & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    isTty: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  };
  return io;
}

const options = { seed: 0, memoryBytes: undefined, maxSteps: 200_000, trace: true, traceJson: null };

describe("examples/sysv image", () => {
  it("boots: ping and pong play through sysvd, and the trace shows the Sysv calls", async () => {
    const read = readImage(await buildImage(manifest, { compileInterfaces }));
    if (!read.ok) throw new Error(read.error.message);
    const io = capture();
    expect(await runImage(read.image, options, io)).toBe(0);
    expect(io.err).toBe("");
    expect(io.out).toMatch(/ping\(\d+\) -> sysvd\(\d+\) Sysv\.msgsnd\(/);
    expect(io.out).toMatch(/pong\(\d+\) -> sysvd\(\d+\) Sysv\.semop\(/);
    expect(io.out).toMatch(/pong\(\d+\) exited, status 0/);
    // pong maps the segment ping made and exits attached: the exit notification detaches it (ping checks nattch).
    expect(io.out).toMatch(/pong\(\d+\) -> sysvd\(\d+\) Sysv\.shmat\(.*\) -> memory=memory#\d+/);
    expect(io.out).toMatch(/ping\(\d+\) -> sysvd\(\d+\) Sysv\.shmctl_stat\(.*nattch=1\}/);
    // Identity comes from the process manager: the pid stamped at lookup, the uid and gid of the program.
    expect(io.out).toMatch(/sysvd\(\d+\) -> procmgr\(1\) Procmgr\.identify\(pid=\d+\) -> uid=2000, gid=200/);
    expect(io.out).toMatch(/outsider\(\d+\) -> sysvd\(\d+\) Sysv\.semget\(.*\) -> retval=-1, errno=EACCES/);
    expect(io.out).toMatch(/outsider\(\d+\) exited, status 0/);
  });
});

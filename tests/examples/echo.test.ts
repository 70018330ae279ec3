import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runImage } from "../../cli/commands/run.js";
import { main } from "../../cli/main.js";
import { buildImage } from "../../emulator/image/build.js";
import { compileInterfaces } from "../../emulator/image/compile-interfaces.js";
import { readImage } from "../../emulator/image/read.js";
import { capture } from "../support/capture-io.js";

const manifest = fileURLToPath(new URL("../../examples/echo/manifest.json", import.meta.url));


async function echoImage() {
  const read = readImage(await buildImage(manifest, { compileInterfaces }));
  if (!read.ok) throw new Error(read.error.message);
  return read.image;
}

const traced = { seed: 0, memoryBytes: undefined, maxSteps: 100_000, trace: true, traceJson: null };

describe("examples/echo", () => {
  it("runs end to end: the client gets every word back and the count", async () => {
    const io = capture();
    expect(await runImage(await echoImage(), { ...traced, trace: false }, io)).toBe(0);
    expect(io.err).toBe("");
  });

  it("exits 0 with no words, and 1 when the server's answers are wrong", async () => {
    const image = await echoImage();
    const programs = image.manifest.programs.map((p) => (p.name === "client" ? { ...p, args: [] } : p));
    expect(await runImage({ ...image, manifest: { ...image.manifest, programs } }, { ...traced, trace: false }, capture())).toBe(0);
    const badServer = image.programs.map((code, i) => (image.manifest.programs[i].name === "echo-server" ? code.replace("return { text };", 'return { text: text + "!" };') : code));
    expect(badServer).not.toEqual(image.programs);
    expect(await runImage({ ...image, programs: badServer }, { ...traced, trace: false }, capture())).toBe(1);
  });

  it("says which program was killed and why when its code throws", async () => {
    const image = await echoImage();
    const programs = image.programs.map((code, i) =>
      image.manifest.programs[i].name === "client" ? "export default async () => { throw new TypeError('no such thing'); };" : code,
    );
    const io = capture();
    expect(await runImage({ ...image, programs }, { ...traced, trace: false }, io)).toBe(245);
    expect(io.err).toBe("doorkit run: program 'client' (pid 3) was killed: no such thing\n");
  });

  it("gives the same trace for the same seed, as reviewed in the golden file", async () => {
    const image = await echoImage();
    const first = capture();
    expect(await runImage(image, traced, first)).toBe(0);
    const second = capture();
    await runImage(image, traced, second);
    expect(second.out).toBe(first.out);
    await expect(first.out).toMatchFileSnapshot("./golden/echo-trace.txt");
  });
});

describe("doorkit demo", () => {
  it("builds the demo image and runs it with the trace on", async () => {
    const io = capture();
    expect(await main(["demo"], io)).toBe(0);
    const lines = io.out.split("\n");
    expect(lines[0]).toMatch(/^doorkit demo: image 'demo', \d+ bytes, programs echo-server, intruder, vfs-server, vfs-client, sysvd, sysv-ping, pong, echo-client$/);
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +echo-client\(8\) -> echo-server\(2\) Echo\.echo\(text="doorkit"\) -> text="doorkit"$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +echo-client\(8\) -> echo-server\(2\) Echo\.count\(\) -> calls=4$/));
    // The policy at work: a domain granted nothing is refused, each time with its errno.
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +intruder\(3\) -> procmgr\(1\) Procmgr\.lookup\(name="\/user\/echo"\) -> error EACCES \(server\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +intruder\(3\) -> procmgr\(1\) Procmgr\.create\(object_class=SYSTEM, name="\/sys\/evil"\) -> error EPERM \(server\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +intruder\(3\) exited, status 0$/));
    expect(lines.at(-2)).toMatch(/^echo-client exited with status 0 after \d+ steps \(\d+ kernel calls not shown\)$/);
    expect(lines.some((line) => / Kernel\./.test(line))).toBe(false);
    // Each scene's client checks every answer and exits 0 only when all were right.
    for (const program of ["vfs-client(5)", "sysv-ping(7)", "pong(9)"]) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^#\\d+ +${program.replace(/[()]/g, "\\$&")} exited, status 0$`)));
    }
  });

  it("shows the VFS and System V scenes, the same for the same seed, as reviewed in the golden file", async () => {
    const first = capture();
    expect(await main(["demo"], first)).toBe(0);
    const second = capture();
    expect(await main(["demo"], second)).toBe(0);
    expect(second.out).toBe(first.out);
    const lines = first.out.split("\n");
    const calls = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
    // A RAM-disk file read inline, a file written and read back by lease.
    expect(calls(/vfs-client\(5\) -> vfs-server\(4\) Vfs\.pread\(handle=1, offset=0, length=63\) -> data=<57 65 6c 63/)).toBe(1);
    expect(calls(/vfs-client\(5\) -> vfs-server\(4\) Vfs\.write_lease\(handle=1, offset=0, length=5064, buffer=lease\[#\d+,r\]\) -> count=5064$/)).toBe(1);
    expect(calls(/vfs-client\(5\) -> vfs-server\(4\) Vfs\.read_lease\(handle=1, offset=0, length=5064, buffer=lease\[#\d+,w\]\) -> count=5064$/)).toBe(1);
    // One message round trip, one semaphore round trip, one segment shared by both programs.
    expect(calls(/pong\(9\) -> sysvd\(6\) Sysv\.msgrcv\(.*msgtyp=1.*\) -> retval=1, mtype=1, text=<29>\(1\)$/)).toBe(1);
    expect(calls(/sysv-ping\(7\) -> sysvd\(6\) Sysv\.msgrcv\(.*msgtyp=2.*\) -> retval=1, mtype=2, text=<2a>\(1\)$/)).toBe(1);
    expect(calls(/(sysv-ping\(7\)|pong\(9\)) -> sysvd\(6\) Sysv\.semop\(semid=0, /)).toBe(4);
    expect(calls(/(sysv-ping\(7\)|pong\(9\)) -> sysvd\(6\) Sysv\.shmat\(shmid=0, .* size=8192, addr=0$/)).toBe(2);
    // The header names the image's size in bytes, which any change to a program's source moves.
    await expect(lines.slice(1).join("\n")).toMatchFileSnapshot("./golden/demo-trace.txt");
  });

  it("plays every scene to its end under other scheduling orders", async () => {
    for (const seed of ["1", "7"]) {
      const io = capture();
      expect(await main(["demo", "--seed", seed], io)).toBe(0);
      const exited = io.out.split("\n").filter((line) => / exited, status 0$/.test(line));
      const programs = exited.map((line) => line.replace(/^#\d+ +/, "").replace(/\(\d+\) exited, status 0$/, ""));
      expect(programs.sort()).toEqual(["echo-client", "intruder", "pong", "sysv-ping", "vfs-client"]);
    }
  });

  it("shows the kernel calls too with --kernel-calls", async () => {
    const io = capture();
    expect(await main(["demo", "--kernel-calls"], io)).toBe(0);
    const lines = io.out.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^#\d+ +procmgr\(1\) Kernel\.process_spawn -> ok$/));
    expect(lines.at(-2)).toMatch(/^echo-client exited with status 0 after \d+ steps$/);
  });

  it("refuses arguments it does not know", async () => {
    const io = capture();
    expect(await main(["demo", "--fast"], io)).toBe(2);
    expect(io.err).toContain("unexpected arguments: --fast");
  });
});

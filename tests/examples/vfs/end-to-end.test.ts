import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../../../cli/command.js";
import { runImage } from "../../../cli/commands/run.js";
import { buildImage } from "../../../emulator/image/build.js";
import { compileInterfaces } from "../../../emulator/image/compile-interfaces.js";
import type { ImageContents } from "../../../emulator/image/format.js";
import { readImage } from "../../../emulator/image/read.js";
import type { Kernel, TraceHook } from "../../../emulator/kernel/index.js";
import { bootImage } from "../../../emulator/procmgr/index.js";
import { VfsFn } from "../../../gen/examples/vfs/vfs.js";

const fixtures = fileURLToPath(new URL("./fixtures/manifest.json", import.meta.url));
const example = fileURLToPath(new URL("../../../examples/vfs/manifest.json", import.meta.url));

async function build(manifest: string): Promise<ImageContents> {
  const read = readImage(await buildImage(manifest, { compileInterfaces }));
  if (!read.ok) throw new Error(read.error.message);
  return read.image;
}

/** Boots the fixture image with the checker running `scenario`; its exit status and the faults. */
async function run(image: ImageContents, scenario: string, seed = 0) {
  const programs = image.manifest.programs.map((p) => (p.name === "checker" ? { ...p, args: [scenario] } : p));
  const result = await bootImage({ ...image, manifest: { ...image.manifest, programs } }, { seed, maxSteps: 500_000, trace: killDierMidCall });
  return { outcome: result.outcome, faults: result.faults };
}

/**
 * Kills the `dier` program when its third pwrite has reached the server, and
 * `lease-dier` when its second write_lease has: the server is then serving
 * its call. The kill waits for the kernel to finish the step (a trace hook
 * may not call back into the kernel).
 */
function killDierMidCall(kernel: Kernel): TraceHook {
  const writes = new Map<string, number>();
  const fatal = new Map<string, [number, number]>([
    ["dier", [VfsFn.pwrite, 3]],
    ["lease-dier", [VfsFn.write_lease, 2]],
  ]);
  return (e) => {
    if (e.kind !== "request") return;
    const name = kernel.processInfo(e.pid)?.name ?? "";
    const [fn, nth] = fatal.get(name) ?? [0, 0];
    if (e.fn !== fn) return;
    const pid = e.pid;
    writes.set(name, (writes.get(name) ?? 0) + 1);
    if (writes.get(name) === nth) queueMicrotask(() => kernel.kill(pid, "killed by the test in the middle of a call"));
  };
}

let image: ImageContents;
beforeAll(async () => {
  image = await build(fixtures);
}, 60_000);

describe("examples/vfs end to end", () => {
  it("the example's tour client gets every answer right", async () => {
    const result = await bootImage(await build(example), { seed: 0, maxSteps: 100_000 });
    expect(result.outcome).toEqual({ kind: "exited", status: 0 });
    expect(result.faults).toEqual([]);
  });

  it("gives the tour the same trace for the same seed, as reviewed in the golden file", async () => {
    const tour = await build(example);
    const capture = (): Io & { out: string } => {
      const io = { out: "", isTty: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.out += t) };
      return io;
    };
    const options = { seed: 3, memoryBytes: undefined, maxSteps: 100_000, trace: true, traceJson: null };
    const first = capture();
    expect(await runImage(tour, options, first)).toBe(0);
    const second = capture();
    await runImage(tour, options, second);
    expect(second.out).toBe(first.out);
    await expect(first.out).toMatchFileSnapshot("./golden/tour-trace.txt");
  });

  it("the client library refuses a server that says it wrote nothing, rather than retry forever", async () => {
    const tour = await build(example);
    const broken = tour.programs.map((code, i) => (tour.manifest.programs[i].name === "vfs-server" ? code.replaceAll("{ count: r.value }", "{ count: 0 }") : code));
    expect(broken).not.toEqual(tour.programs);
    const result = await bootImage({ ...tour, programs: broken }, { seed: 0, maxSteps: 100_000 });
    expect(result.outcome).toEqual({ kind: "exited", status: -11 });
    expect(result.faults).toEqual([{ pid: expect.any(Number), name: "tour", fault: "write_lease: EPROTO" }]);
  });

  it("answers every call, with its success and its errors", async () => {
    expect(await run(image, "calls")).toEqual({ outcome: { kind: "exited", status: 0 }, faults: [] });
  });

  it("moves bulk data by lease and shared memory byte-exact, with every error", async () => {
    expect(await run(image, "bulk")).toEqual({ outcome: { kind: "exited", status: 0 }, faults: [] });
  });

  it.each([
    ["concurrent", 0],
    ["concurrent", 7],
    ["concurrent-lease", 0],
    ["concurrent-lease", 7],
  ])("keeps each write whole when processes and threads race on one file (%s, seed %i)", async (scenario, seed) => {
    expect(await run(image, scenario, seed)).toEqual({ outcome: { kind: "exited", status: 0 }, faults: [] });
  });

  it.each([
    ["inline", "dying", "dier"],
    ["lease", "dying-lease", "lease-dier"],
  ])("serves on and closes a client's files when it is killed while the server serves its call (%s)", async (_, scenario, name) => {
    const { outcome, faults } = await run(image, scenario);
    expect(outcome).toEqual({ kind: "exited", status: 0 });
    expect(faults).toEqual([{ pid: expect.any(Number), name, fault: "killed by the test in the middle of a call" }]);
  });

  it.each([
    [["--threads=0"], 2],
    [["/sys/vfs", "--capacity=0"], 3],
  ])("the server with arguments %j exits %i at once, having registered nothing", async (args, status) => {
    const programs = image.manifest.programs.map((p) => (p.name === "vfs-server" ? { ...p, args } : { ...p, autostart: false }));
    const result = await bootImage({ ...image, manifest: { ...image.manifest, init: "vfs-server", programs } }, { maxSteps: 100_000 });
    expect(result.outcome).toEqual({ kind: "exited", status });
    expect(result.names.size).toBe(0);
  });

  it("fails the race checks when the server writes only part of a block and says it wrote all", async () => {
    const broken = image.programs.map((code, i) =>
      image.manifest.programs[i].name === "vfs-server" ? code.replace(/\.files\.pwrite\(handle, safe\(offset\), data\)/, ".files.pwrite(handle, safe(offset), data.subarray(0, 2000)) && { ok: true, value: data.length }") : code,
    );
    expect(broken).not.toEqual(image.programs);
    const { outcome } = await run({ ...image, programs: broken }, "concurrent");
    expect(outcome).toEqual({ kind: "exited", status: 1 });
  });

  it("fails the lease race checks when the server writes only part of a lease's block and says it wrote all", async () => {
    // Both ways of writing a lease are broken: staged, and straight into the cache pages.
    const broken = image.programs.map((code, i) =>
      image.manifest.programs[i].name === "vfs-server"
        ? code
            .replace("req.length, (piece, at) => lease.unstage(piece, at));", "5000, (piece, at) => lease.unstage(piece, at)) && { ok: true, value: req.length };")
            .replace("lease.copyIn(run.address, req.length)", "lease.copyIn(run.address, 5000)")
        : code,
    );
    expect(broken).not.toEqual(image.programs);
    const { outcome } = await run({ ...image, programs: broken }, "concurrent-lease");
    expect(outcome).toEqual({ kind: "exited", status: 1 });
  });

  it("fails the dying check when the server does not close a dead client's files", async () => {
    const broken = image.programs.map((code, i) =>
      image.manifest.programs[i].name === "vfs-server" ? code.replace(/processExited\(pid\) \{/, "processExited(pid) { return;") : code,
    );
    expect(broken).not.toEqual(image.programs);
    expect((await run({ ...image, programs: broken }, "dying")).outcome).toEqual({ kind: "exited", status: 2 });
  });
});

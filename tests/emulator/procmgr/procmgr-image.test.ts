/**
 * The process manager in a running image: every check of docs/abi.md 1.6, allowed
 * and refused, made by real processes through the generated stubs and the
 * kernel. Each program of fixtures/policy runs probe.ts with a script of
 * steps and their expected outcomes (see its manifest); a program exits 0
 * (or its `status N`) when every step gave what it expected, and 100 + the
 * step's index at the first that did not.
 */
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { collectImage } from "../../../emulator/image/build.js";
import type { ImageContents } from "../../../emulator/image/format.js";
import { type BootResult, bootImage } from "../../../emulator/procmgr/boot.js";

const manifestPath = fileURLToPath(new URL("./fixtures/policy/manifest.json", import.meta.url));
let image: ImageContents;
let result: BootResult;

beforeAll(async () => {
  image = await collectImage(manifestPath);
  result = await bootImage(image, { maxSteps: 100_000 });
});

function statusOf(r: BootResult, name: string): (number | string)[] {
  return r.kernel
    .listProcesses()
    .filter((p) => p.name === name)
    .map((p) => (p.state === "exited" ? p.exitStatus : "live"));
}

/** The image with one program's steps replaced. */
function withSteps(program: string, steps: string[]): ImageContents {
  const programs = image.manifest.programs.map((p) => (p.name === program ? { ...p, args: steps } : p));
  return { ...image, manifest: { ...image.manifest, programs } };
}

describe("the process manager in a running image", () => {
  it("runs the init program to its end and gives its status", () => {
    expect(result.outcome).toEqual({ kind: "exited", status: 0 });
  });

  it("lets each domain do what its policy allows and refuses the rest with the right errno", () => {
    // sysd and echo end blocked receiving on objects they own: receiving there is allowed.
    expect(statusOf(result, "sysd")).toEqual(["live"]);
    expect(statusOf(result, "echo")).toEqual(["live"]);
    expect(statusOf(result, "guest")).toEqual([9]);
    expect(statusOf(result, "app")).toEqual([0]);
    // app spawned child twice; each instance has its own module state, and cannot close
    // app's name (identity comes from the kernel, not from anything a process says).
    expect(statusOf(result, "child")).toEqual([42, 42]);
    expect(statusOf(result, "procmgr")).toEqual(["live"]);
  });

  it.each([1, 2, 5, 13, 21, 34])("gives the same outcomes whatever the scheduling order (seed %i)", async (seed) => {
    const shuffled = await bootImage(image, { maxSteps: 100_000, seed });
    expect(shuffled.outcome).toEqual({ kind: "exited", status: 0 });
    expect(["sysd", "echo", "guest", "app", "child"].map((n) => statusOf(shuffled, n))).toEqual([["live"], ["live"], [9], [0], [42, 42]]);
  });

  it("maps every registered name to an object", () => {
    expect([...result.names.keys()].sort()).toEqual(["/sys/log", "/sys/vfs", "/user/app/a", "/user/echo", "/user/echo/main"]);
    expect(new Set(result.names.values()).size).toBe(5);
  });

  it("lists a large directory in pages, following the cursor", async () => {
    const steps = ["create-many /user/echo/n 30 => ok", "list-all /user/echo => 30 in 2 calls", "list /user/echo/none => (empty)", "status 5"];
    const paged = await bootImage(withSteps("echo", steps), { maxSteps: 200_000 });
    expect(statusOf(paged, "echo")).toEqual([5]);
  });

  it("refuses to spawn more children than it can watch, with EAGAIN", async () => {
    const steps = ["spawn-until-refused sleeper => EAGAIN", "spawn child => EAGAIN", "status 6"];
    const crowded = await bootImage(withSteps("app", steps), { maxSteps: 200_000 });
    expect(crowded.outcome).toEqual({ kind: "exited", status: 6 });
    // At most 60 live children, the autostart programs among them (guest may end meanwhile).
    const sleepers = statusOf(crowded, "sleeper");
    expect(sleepers.every((s) => s === "live")).toBe(true);
    expect(sleepers.length).toBeGreaterThanOrEqual(60 - 4);
    expect(sleepers.length).toBeLessThanOrEqual(60 - 3);
  });

  it("fails a probe whose expectation is wrong, at that step", async () => {
    const wrong = await bootImage(withSteps("guest", ["create user - => ok"]), { maxSteps: 100_000 });
    expect(statusOf(wrong, "guest")).toEqual([100]);
    const unknown = await bootImage(withSteps("guest", ["fly away"]), { maxSteps: 100_000 });
    expect(statusOf(unknown, "guest")).toEqual([200]);
  });

  it("reports an init program that never ends", async () => {
    const stuck = await bootImage(withSteps("app", ["create user - => ok", "block - => never"]), { maxSteps: 100_000 });
    expect(stuck.outcome).toEqual({ kind: "stuck", end: "idle" });
    const limited = await bootImage(image, { maxSteps: 50 });
    expect(limited.outcome).toEqual({ kind: "stuck", end: "step-limit" });
  });

  it("reports a program whose code does not load", async () => {
    const programs = image.programs.map((code, i) => (image.manifest.programs[i].name === "app" ? "export default 42;" : code));
    const broken = await bootImage({ ...image, programs }, { maxSteps: 100_000 });
    expect(broken.outcome).toEqual({ kind: "failed", message: "program 'app' has no default export function" });
    const garbled = image.programs.map((code, i) => (image.manifest.programs[i].name === "app" ? "export default async (" : code));
    const unparsable = await bootImage({ ...image, programs: garbled }, { maxSteps: 100_000 });
    expect(unparsable.outcome).toMatchObject({ kind: "failed", message: expect.stringMatching(/^program 'app' does not load: /) });
  });
});

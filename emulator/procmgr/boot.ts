/**
 * Boots an image: the machine and kernel, each program's code loaded as a
 * module, the process manager started first (pid 1, privileged) with the
 * door the kernel routes process-manager calls to, then a run until every
 * thread has ended or blocked, or the step limit. The result carries the
 * init program's exit status. Used by `doorkit run` and by the tests.
 *
 * Each process gets its own module instance of its program: the code is
 * imported again for every start, so processes never share module state.
 */
import type { ImageContents } from "../image/format.js";
import type { ProgramEntry as ManifestProgram } from "../image/manifest.js";
import { CLASS_SYSTEM, Kernel, type RunEnd, type TraceHook } from "../kernel/index.js";
import type { ProgramEntry, Sys } from "../program/program.js";
import type { RamDiskObject } from "./manager.js";
import { procmgrProgram } from "./procmgr-program.js";

export interface BootOptions {
  readonly seed?: number;
  readonly memoryBytes?: number;
  /** Bytes of the swap device (default none). */
  readonly swapBytes?: number;
  readonly maxSteps?: number;
  /**
   * Receives every IPC event of the run (the kernel reuses the record: copy
   * what you keep). `names` maps each registered name to its IPC object id,
   * as the run goes.
   */
  readonly trace?: (kernel: Kernel, names: ReadonlyMap<string, number>) => TraceHook;
}

export type BootOutcome =
  /** The init program ended; `status` is its exit status. */
  | { readonly kind: "exited"; readonly status: number }
  /** The run stopped with init still alive: every thread blocked, or the step limit. */
  | { readonly kind: "stuck"; readonly end: RunEnd }
  /** The image could not be started (a program's code does not load, or the manager's boot failed). */
  | { readonly kind: "failed"; readonly message: string };

export interface BootResult {
  readonly outcome: BootOutcome;
  readonly steps: number;
  readonly kernel: Kernel;
  /** IPC object id of each registered name, for tools. */
  readonly names: ReadonlyMap<string, number>;
  /** Processes the kernel killed (a fault, or an exception their code let escape), in pid order. */
  readonly faults: readonly { readonly pid: number; readonly name: string; readonly fault: string }[];
}

/** A RAM-disk file as a program with `ramDisk: true` gets it: its own copy of the bytes. */
export interface RamDiskFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * What a program module's default export is: its entry, given its arguments
 * from the manifest and, when the manifest says `ramDisk: true`, the image's
 * RAM-disk files (else an empty list).
 */
export type ImageProgramMain = (sys: Sys, args: readonly string[], ramDisk: readonly RamDiskFile[]) => Promise<number>;

export async function bootImage(image: ImageContents, options: BootOptions = {}): Promise<BootResult> {
  const kernel = new Kernel({ seed: options.seed, memoryBytes: options.memoryBytes, swapBytes: options.swapBytes, maxSteps: options.maxSteps });
  const names = new Map<string, number>();
  const loadErrors: string[] = [];
  image.manifest.programs.forEach((program, i) => {
    const files = program.ramDisk ? image.manifest.files.map((f, j) => ({ path: f.path, bytes: image.files[j] })) : [];
    kernel.registerProgram(program.name, programEntry(image.programs[i], program, files, loadErrors));
  });

  let bootErrno = 0;
  let door = 0;
  let ramDisk: RamDiskObject[] = [];
  const procmgrPid = kernel.spawn({
    program: procmgrProgram({
      manifest: structuredClone(image.manifest),
      get door() {
        return door;
      },
      get ramDisk() {
        return ramDisk;
      },
      host: {
        registered: (name, desc) => {
          const object = kernel.descriptorsOf(procmgrPid).find((d) => d.descriptor === desc)?.object;
          if (object !== undefined) names.set(name, object);
        },
        bootFailed: (errno) => (bootErrno = errno),
      },
    }),
    name: "procmgr",
    privileged: true,
  });
  if (procmgrPid < 0) throw new Error(`boot: cannot start the process manager (errno ${-procmgrPid})`);
  ramDisk = ramDiskObjects(kernel, procmgrPid, image);
  door = kernel.createDoorFor(procmgrPid, CLASS_SYSTEM, 0);
  if (door < 0 || !kernel.setProcessManager(procmgrPid, door)) {
    throw new Error("boot: cannot give the process manager its door");
  }
  if (options.trace) kernel.traceHook = options.trace(kernel, names);

  const run = await kernel.run();
  const init = kernel.listProcesses().find((p) => p.name === image.manifest.init && p.pid !== procmgrPid);
  const outcome = outcomeOf(loadErrors, bootErrno, image.manifest.init, init, run.end);
  const faults = kernel
    .listProcesses()
    .filter((p) => p.fault !== null)
    .map((p) => ({ pid: p.pid, name: p.name, fault: p.fault as string }));
  return { outcome, steps: run.steps, kernel, names, faults };
}

/**
 * Each RAM-disk file as a read-only memory object in the manager's table,
 * paged in from the image's bytes; `ramdisk_open` hands out copies. A file
 * too big for memory and swap together gets descriptor 0 (ENOMEM when opened).
 */
function ramDiskObjects(kernel: Kernel, procmgrPid: number, image: ImageContents): RamDiskObject[] {
  return image.manifest.files.map((f, i) => {
    const bytes = image.files[i]!;
    // An empty file still gets a page (of zeros): a memory object has at least one.
    const descriptor = kernel.createFileObject(procmgrPid, { kind: "ram-disk", bytes }, Math.max(1, bytes.length));
    return { path: f.path, size: bytes.length, descriptor: Math.max(0, descriptor) };
  });
}

function outcomeOf(
  loadErrors: readonly string[],
  bootErrno: number,
  initName: string,
  init: { readonly state: "live" | "exited"; readonly exitStatus: number } | undefined,
  end: RunEnd,
): BootOutcome {
  if (loadErrors.length > 0) return { kind: "failed", message: loadErrors.join("\n") };
  if (bootErrno !== 0) {
    return { kind: "failed", message: `the process manager could not start the image (errno ${bootErrno})` };
  }
  if (!init) return { kind: "failed", message: `init program '${initName}' never started` };
  if (init.state === "exited") return { kind: "exited", status: init.exitStatus };
  return { kind: "stuck", end };
}

let instances = 0;

/** Imports the program's code afresh for every process that starts it. */
function programEntry(
  code: string,
  program: ManifestProgram,
  files: readonly RamDiskFile[],
  errors: string[],
): ProgramEntry {
  const { name, args } = program;
  return async (sys) => {
    // A distinct source text is a distinct module instance.
    const source = `${code}\n//# doorkit-program=${encodeURIComponent(name)} instance=${++instances}\n`;
    let main: unknown;
    try {
      main = (
        (await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)) as { default?: unknown }
      ).default;
    } catch (error) {
      errors.push(`program '${name}' does not load: ${(error as Error).message}`);
      return 127;
    }
    if (typeof main !== "function") {
      errors.push(`program '${name}' has no default export function`);
      return 127;
    }
    // Copies per process: processes share no JavaScript objects, not even their arguments.
    const ramDisk = files.map((f) => Object.freeze({ path: f.path, bytes: f.bytes.slice() }));
    return (main as ImageProgramMain)(sys, Object.freeze([...args]), Object.freeze(ramDisk));
  };
}

/**
 * Random shared-memory call sequences through SysvService over a recording
 * kernel, for the property test and the fuzz campaign: whatever the order
 * of shmget, shmat, shmdt, IPC_RMID and exits, each memory object the
 * daemon makes is released exactly once when its segment goes, and never
 * while attached (tests/examples/sysv/shm-lifecycle.property.test.ts).
 */
import * as rt from "doorkit/runtime";
import fc from "fast-check";
import type { KernelCalls, UserMemory } from "../../../emulator/program/program.js";
import { IPC_CREAT, IPC_RMID, SHM_RDONLY, type Caller } from "../../../examples/sysv/core/index.js";
import { SysvService, type SegmentMemory } from "../../../examples/sysv/service.js";

export type ShmStep =
  | { readonly kind: "get"; readonly who: number; readonly key: number; readonly size: number }
  | { readonly kind: "at"; readonly who: number; readonly pick: number; readonly readonly: boolean }
  | { readonly kind: "dt"; readonly who: number; readonly pick: number }
  | { readonly kind: "rmid"; readonly who: number; readonly pick: number }
  | { readonly kind: "exit"; readonly who: number };

const who = fc.integer({ min: 0, max: 2 });
const pick = fc.nat(20);
export const shmStep: fc.Arbitrary<ShmStep> = fc.oneof(
  fc.record({
    kind: fc.constant("get" as const),
    who,
    key: fc.integer({ min: 0, max: 3 }),
    size: fc.integer({ min: 1, max: 9000 }),
  }),
  fc.record({ kind: fc.constant("at" as const), who, pick, readonly: fc.boolean() }),
  fc.record({ kind: fc.constant("dt" as const), who, pick }),
  fc.record({ kind: fc.constant("rmid" as const), who, pick }),
  fc.record({ kind: fc.constant("exit" as const), who }),
);

/** Runs the steps, then removes every segment and ends every process; null when the invariants held, else why not. */
export async function checkShmSequence(steps: readonly ShmStep[]): Promise<string | null> {
  const made: SegmentMemory[] = [];
  let next = 100;
  const kernel = {
    memCreate: async () => next++,
    descDup: async () => next++,
    descClose: async () => 0,
  } as Partial<KernelCalls> as KernelCalls;
  const callers: Caller[] = [0, 1, 2].map((i) => ({ pid: 10 + i, uid: 1000, gid: 100 }));
  const s = new SysvService({
    identify: (c) => callers[c.cookie],
    timer: () => () => {},
    kernelOf: () => ({ kernel, memory: {} as UserMemory, scratch: 0 }),
  });
  const call = (i: number) => ({ cookie: i }) as rt.Call;
  const ids = new Set<number>();
  const attachments: { who: number; attachment: number; memory: number }[] = [];
  const released: SegmentMemory[] = [];
  const take = () => released.push(...s.takeReleased());
  for (const step of steps) {
    const list = [...ids];
    if (step.kind === "get") {
      const r = await s.shmget({ key: step.key, size: step.size, shmflg: IPC_CREAT | 0o600 }, call(step.who));
      if (r.retval >= 0) ids.add(r.retval);
    } else if (step.kind === "at" && list.length > 0) {
      const shmid = list[step.pick % list.length]!;
      const got = await s
        .shmat({ shmid, addr: 0, shmflg: step.readonly ? SHM_RDONLY : 0 }, call(step.who))
        .catch((error: unknown) => (error instanceof rt.ReplyError ? null : Promise.reject(error)));
      if (got !== null) attachments.push({ who: step.who, attachment: got.attachment, memory: got.memory });
    } else if (step.kind === "dt" && attachments.length > 0) {
      const [a] = attachments.splice(step.pick % attachments.length, 1);
      if (s.shmdt({ attachment: a!.attachment }, call(a!.who)).retval !== 0) return `shmdt of a live attachment failed`;
    } else if (step.kind === "rmid" && list.length > 0) {
      s.shmctl({ shmid: list[step.pick % list.length]!, cmd: IPC_RMID }, call(step.who));
    } else if (step.kind === "exit") {
      s.processExited(callers[step.who]!.pid);
      for (let i = attachments.length - 1; i >= 0; i--) if (attachments[i]!.who === step.who) attachments.splice(i, 1);
    }
    take();
    for (const a of attachments) {
      if (released.some((m) => m.rw === a.memory || m.ro === a.memory))
        return `memory ${a.memory} released while attached`;
    }
  }
  for (let i = 100; i < next; i += 2) made.push({ rw: i, ro: i + 1 });
  for (const id of ids) s.shmctl({ shmid: id, cmd: IPC_RMID }, call(0));
  for (const c of callers) s.processExited(c.pid);
  take();
  const counts = new Map<number, number>();
  for (const m of released) counts.set(m.rw, (counts.get(m.rw) ?? 0) + 1);
  for (const m of made) if (counts.get(m.rw) !== 1) return `memory ${m.rw} released ${counts.get(m.rw) ?? 0} times`;
  if (released.length !== made.length) return `${released.length} released, ${made.length} made`;
  return null;
}

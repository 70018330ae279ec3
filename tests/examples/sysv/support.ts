/** Identities and assertions shared by the System V core tests. */
import { expect } from "vitest";
import { errnoName, type Caller, type Outcome, type SysvEvent } from "../../../examples/sysv/core/index.js";

/** Two ordinary users in different groups, one in the other's group, and root. */
export const alice: Caller = { pid: 10, uid: 1000, gid: 100 };
export const alice2: Caller = { pid: 11, uid: 1000, gid: 100 };
export const bob: Caller = { pid: 20, uid: 1001, gid: 200 };
export const carol: Caller = { pid: 30, uid: 1002, gid: 300, groups: [100] };
export const root: Caller = { pid: 1, uid: 0, gid: 0 };

/** The value of an `ok` outcome; fails the test with the errno's name otherwise. */
export function value<T>(outcome: Outcome<T>): T {
  if (outcome.kind === "ok") return outcome.value;
  throw new Error(
    outcome.kind === "error" ? `expected ok, got ${errnoName(outcome.errno)}` : "expected ok, got blocked",
  );
}

/** The errno of an `error` outcome, by name, or "ok"/"blocked". */
export function errno(outcome: Outcome<unknown>): string {
  return outcome.kind === "error" ? errnoName(outcome.errno) : outcome.kind;
}

/** The waiter token of a `blocked` outcome. */
export function waiter(outcome: Outcome<unknown>): number {
  expect(outcome.kind).toBe("blocked");
  return outcome.kind === "blocked" ? outcome.waiter : -1;
}

/** Completion events as [waiter, "ok" | errno name] pairs, in order. */
export function completions(events: readonly SysvEvent<unknown>[]): [number, string][] {
  return events.flatMap((e): [number, string][] =>
    e.kind === "shm-destroyed" ? [] : [[e.waiter, e.result.kind === "ok" ? "ok" : errnoName(e.result.errno)]],
  );
}

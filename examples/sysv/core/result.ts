/**
 * What every call of the core answers. A call that must wait answers
 * `blocked` with a waiter token; when a later call (or a cancel, or a
 * process exit) settles the wait, the core reports a completion event for
 * that token (events.ts). Nothing here is asynchronous.
 */

export type WaiterToken = number;

export type Ok<T> = { readonly kind: "ok"; readonly value: T };
export type Failed = { readonly kind: "error"; readonly errno: number };
export type Blocked = { readonly kind: "blocked"; readonly waiter: WaiterToken };

export type Result<T> = Ok<T> | Failed;
export type Outcome<T> = Result<T> | Blocked;

export function ok<T>(value: T): Ok<T> {
  return { kind: "ok", value };
}

export function fail(errno: number): Failed {
  return { kind: "error", errno };
}

export function blocked(waiter: WaiterToken): Blocked {
  return { kind: "blocked", waiter };
}

export function assertNever(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}

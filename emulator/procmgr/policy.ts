/**
 * The security policy of an image (manifest `policy`), as pure decisions:
 * each function takes the policy, the caller's domain and the request, and
 * returns what the process manager must do or the errno it must answer.
 * No state of its own; the namespace is passed in.
 *
 * Errnos: EPERM for what a domain may never do (create, create system objects,
 * spawn), EACCES for a name or type outside what it was granted, EINVAL or
 * ENAMETOOLONG for a malformed name, EEXIST for a taken one, ENOENT for a name
 * nobody registered.
 */
import type { Policy, DomainPolicy } from "../image/manifest.js";
import { PROCMGR_DOMAIN } from "../image/manifest.js";
import { Errno } from "./errno.js";
import { checkName, isUnder } from "./names.js";

export type Decision<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errno: number };

const allow = <T>(value: T): Decision<T> => ({ ok: true, value });
const refuse = (errno: number): Decision<never> => ({ ok: false, errno });

/** The process manager's own domain may do everything, with objects of this type. */
export const PROCMGR_TYPE = "procmgr_t";

export interface CreateRequest {
  readonly system: boolean;
  /** Null for an anonymous object. */
  readonly name: string | null;
}

/** The domain's rules; undefined for a domain the policy does not declare. */
function rulesOf(policy: Policy, domain: string): DomainPolicy | undefined {
  return Object.hasOwn(policy.domains, domain) ? policy.domains[domain] : undefined;
}

/**
 * docs/abi.md 1.6 create, checks in order: may create IPC objects, may create a
 * system object if asked, the name is well formed and the domain may use it,
 * the name is free. Gives the security type the new object gets.
 */
export function decideCreate(
  policy: Policy,
  domain: string,
  request: CreateRequest,
  isTaken: (name: string) => boolean,
): Decision<string> {
  const privileged = domain === PROCMGR_DOMAIN;
  const rules = rulesOf(policy, domain);
  if (!privileged && !rules?.createIpc) return refuse(Errno.EPERM);
  if (!privileged && request.system && !rules?.createSystem) return refuse(Errno.EPERM);
  if (request.name !== null) {
    const bad = checkName(request.name);
    if (bad !== 0) return refuse(bad);
    if (!privileged && !rules?.names.some((prefix) => isUnder(request.name as string, prefix))) {
      return refuse(Errno.EACCES);
    }
    if (isTaken(request.name)) return refuse(Errno.EEXIST);
  }
  return allow(objectTypeFor(policy, domain, request.name));
}

/** The type an object gets: the longest label over its name, else its creator's objectType. */
export function objectTypeFor(policy: Policy, domain: string, name: string | null): string {
  if (name !== null) {
    let best: { prefix: string; type: string } | undefined;
    for (const label of policy.labels) {
      if (isUnder(name, label.prefix) && (!best || label.prefix.length > best.prefix.length)) best = label;
    }
    if (best) return best.type;
  }
  if (domain === PROCMGR_DOMAIN) return PROCMGR_TYPE;
  return rulesOf(policy, domain)?.objectType ?? PROCMGR_TYPE;
}

/** Whether the domain may be given references to objects of this type. */
export function mayReach(policy: Policy, domain: string, type: string): boolean {
  if (domain === PROCMGR_DOMAIN) return true;
  return rulesOf(policy, domain)?.reach.includes(type) ?? false;
}

/**
 * docs/abi.md 1.6 lookup: the name is well formed, registered, and its object's
 * type is one the domain may reach. `typeOf` gives the type of a registered
 * name, or undefined.
 */
export function decideLookup(
  policy: Policy,
  domain: string,
  name: string,
  typeOf: (name: string) => string | undefined,
): Decision<string> {
  const bad = checkName(name);
  if (bad !== 0) return refuse(bad);
  const type = typeOf(name);
  if (type === undefined) return refuse(Errno.ENOENT);
  if (!mayReach(policy, domain, type)) return refuse(Errno.EACCES);
  return allow(type);
}

/** Spawning a program of the image: it must exist, and the domain be allowed to start it. */
export function decideSpawn(
  policy: Policy,
  domain: string,
  program: string,
  programs: readonly string[],
): Decision<string> {
  if (!programs.includes(program)) return refuse(Errno.ENOENT);
  if (domain !== PROCMGR_DOMAIN && !rulesOf(policy, domain)?.spawn.includes(program)) return refuse(Errno.EPERM);
  return allow(program);
}

/** A directory listing shows only the entries whose type the domain may reach (and subdirectories). */
export function decideList(policy: Policy, domain: string, dir: string): Decision<(entryType: string) => boolean> {
  if (dir !== "/") {
    const bad = checkName(dir);
    if (bad !== 0) return refuse(bad);
  }
  return allow((entryType) => mayReach(policy, domain, entryType));
}

/**
 * Subscribing to a process's exit: allowed for its parent, for its own
 * domain, and for a domain with `watch`; EPERM otherwise.
 */
export function decideWatch(
  policy: Policy,
  domain: string,
  subject: { readonly domain: string; readonly isChild: boolean },
): Decision<0> {
  if (domain === PROCMGR_DOMAIN || subject.isChild || subject.domain === domain || rulesOf(policy, domain)?.watch) {
    return allow(0);
  }
  return refuse(Errno.EPERM);
}

/**
 * Checks a parsed manifest (any JSON value) against the manifest format and
 * its cross-references, and produces a `Manifest` with every default filled
 * in. Every mistake is reported with the JSON path where it is, e.g.
 * `$.programs[2].domain: unknown domain 'srv'`; checking goes on after a
 * mistake so that one run shows them all. Keep in step with
 * `manifest.schema.json` (a test compares their keys).
 */
import { checkName, isUnder, isValidPrefix } from "../procmgr/names.js";
import {
  type DomainPolicy,
  type FileEntry,
  type Label,
  type Manifest,
  type Policy,
  type ProgramEntry,
  DEFAULT_ID,
  MANIFEST_LIMITS,
  MANIFEST_VERSION,
  PROCMGR_DOMAIN,
} from "./manifest.js";

export interface ManifestProblem {
  /** JSONPath of the offending value, `$` for the whole document. */
  readonly path: string;
  readonly message: string;
}

export type ManifestResult =
  | { readonly ok: true; readonly manifest: Manifest }
  | { readonly ok: false; readonly problems: readonly ManifestProblem[] };

/** The keys each object of the format may have; anything else is a mistake. */
export const MANIFEST_KEYS = {
  manifest: ["$schema", "manifestVersion", "name", "init", "programs", "interfaces", "policy", "files"],
  program: ["name", "source", "domain", "args", "autostart", "serves", "ramDisk", "uid", "gid"],
  file: ["path", "source"],
  policy: ["types", "domains", "labels"],
  domain: ["createIpc", "createSystem", "names", "reach", "objectType", "spawn", "watch"],
  label: ["prefix", "type"],
} as const;

const identifier = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

type Json = unknown;

class Checker {
  readonly problems: ManifestProblem[] = [];

  fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  object(value: Json, path: string, keys: readonly string[]): Record<string, Json> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(`${path}.${key}`, `unknown key '${key}' (expected one of ${keys.join(", ")})`);
    }
    return value as Record<string, Json>;
  }

  array(value: Json, path: string, max: number): readonly Json[] | undefined {
    if (!Array.isArray(value)) {
      this.fail(path, `expected an array, got ${describe(value)}`);
      return undefined;
    }
    if (value.length > max) this.fail(path, `at most ${max} entries, got ${value.length}`);
    return value;
  }

  string(value: Json, path: string, max: number = MANIFEST_LIMITS.argLength): string | undefined {
    if (typeof value !== "string") {
      this.fail(path, `expected a string, got ${describe(value)}`);
      return undefined;
    }
    if (value.length > max) this.fail(path, `at most ${max} characters, got ${value.length}`);
    return value;
  }

  identifier(value: Json, path: string, what: string): string | undefined {
    const text = this.string(value, path, MANIFEST_LIMITS.nameLength);
    if (text !== undefined && !identifier.test(text)) {
      this.fail(
        path,
        `'${text}' is not a valid ${what} (letters, digits, '_', '.', '-'; starting with a letter or '_')`,
      );
      return undefined;
    }
    return text;
  }

  u32(value: Json, path: string): number | undefined {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      this.fail(path, `expected an integer from 0 to 4294967295, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: Json, path: string): boolean | undefined {
    if (typeof value !== "boolean") {
      this.fail(path, `expected true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  strings(value: Json, path: string, max: number, each: (item: Json, path: string) => string | undefined): string[] {
    const items = this.array(value, path, max) ?? [];
    const out: string[] = [];
    items.forEach((item, i) => {
      const text = each(item, `${path}[${i}]`);
      if (text !== undefined) out.push(text);
    });
    return out;
  }

  required(record: Record<string, Json>, key: string, path: string): Json {
    if (!(key in record)) this.fail(path, `missing required key '${key}'`);
    return record[key];
  }
}

function describe(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  return `${typeof value} ${String(value)}`;
}

/** Checks a manifest; the result has every default filled in when it is valid. */
export function validateManifest(value: Json): ManifestResult {
  const c = new Checker();
  const root = c.object(value, "$", MANIFEST_KEYS.manifest);
  if (!root) return { ok: false, problems: c.problems };
  if ("$schema" in root) c.string(root.$schema, "$.$schema");
  const version = c.required(root, "manifestVersion", "$");
  if (version !== undefined && version !== MANIFEST_VERSION) {
    c.fail(
      "$.manifestVersion",
      `unsupported manifest version ${JSON.stringify(version)} (this doorkit reads version ${MANIFEST_VERSION})`,
    );
  }
  const name = c.identifier(c.required(root, "name", "$"), "$.name", "image name");
  const policy = checkPolicy(c, c.required(root, "policy", "$"));
  const programs = checkPrograms(c, c.required(root, "programs", "$"), policy);
  const init = c.string(c.required(root, "init", "$"), "$.init", MANIFEST_LIMITS.nameLength);
  if (init !== undefined && programs && !programs.some((p) => p.name === init)) {
    c.fail("$.init", `init program '${init}' is not among the programs`);
  }
  const interfaces =
    root.interfaces === undefined
      ? []
      : c.strings(root.interfaces, "$.interfaces", MANIFEST_LIMITS.programs, (v, p) => c.string(v, p));
  const files = root.files === undefined ? [] : checkFiles(c, root.files);
  if (policy && programs) checkSpawnRefs(c, policy, programs);
  if (c.problems.length > 0 || !name || !policy || !programs || init === undefined) {
    return { ok: false, problems: c.problems };
  }
  return { ok: true, manifest: { manifestVersion: MANIFEST_VERSION, name, init, programs, interfaces, policy, files } };
}

function checkPrograms(c: Checker, value: Json, policy: Policy | undefined): ProgramEntry[] | undefined {
  const items = c.array(value, "$.programs", MANIFEST_LIMITS.programs);
  if (!items) return undefined;
  if (items.length === 0) c.fail("$.programs", "an image needs at least one program");
  const seen = new Set<string>();
  const out: ProgramEntry[] = [];
  items.forEach((item, i) => {
    const path = `$.programs[${i}]`;
    const record = c.object(item, path, MANIFEST_KEYS.program);
    if (!record) return;
    const name = c.identifier(c.required(record, "name", path), `${path}.name`, "program name");
    const source = c.string(c.required(record, "source", path), `${path}.source`);
    const domain = c.string(c.required(record, "domain", path), `${path}.domain`, MANIFEST_LIMITS.nameLength);
    const args =
      record.args === undefined
        ? []
        : c.strings(record.args, `${path}.args`, MANIFEST_LIMITS.args, (v, p) => c.string(v, p));
    const autostart = record.autostart === undefined ? true : c.boolean(record.autostart, `${path}.autostart`);
    const serves = record.serves === undefined ? {} : checkServes(c, record.serves, `${path}.serves`, domain, policy);
    const ramDisk = record.ramDisk === undefined ? false : c.boolean(record.ramDisk, `${path}.ramDisk`);
    const uid = record.uid === undefined ? DEFAULT_ID : c.u32(record.uid, `${path}.uid`);
    const gid = record.gid === undefined ? DEFAULT_ID : c.u32(record.gid, `${path}.gid`);
    if (name !== undefined) {
      if (seen.has(name)) c.fail(`${path}.name`, `duplicate program name '${name}'`);
      seen.add(name);
    }
    if (source !== undefined && source.length === 0) c.fail(`${path}.source`, "empty source path");
    if (domain !== undefined && policy && !(domain in policy.domains)) {
      c.fail(
        `${path}.domain`,
        `unknown domain '${domain}' (declared: ${Object.keys(policy.domains).join(", ") || "none"})`,
      );
    }
    if (
      name !== undefined &&
      source !== undefined &&
      domain !== undefined &&
      autostart !== undefined &&
      ramDisk !== undefined &&
      uid !== undefined &&
      gid !== undefined
    ) {
      out.push({ name, source, domain, args, autostart, serves, ramDisk, uid, gid });
    }
  });
  return out;
}

function checkServes(
  c: Checker,
  value: Json,
  path: string,
  domain: string | undefined,
  policy: Policy | undefined,
): Record<string, string> {
  const record = c.object(value, path, typeof value === "object" && value !== null ? Object.keys(value) : []);
  const out: Record<string, string> = {};
  for (const [name, iface] of Object.entries(record ?? {})) {
    const at = `${path}["${name}"]`;
    const text = c.identifier(iface, at, "interface name");
    if (checkName(name) !== 0) {
      c.fail(at, `'${name}' is not a valid name (like /user/echo)`);
      continue;
    }
    const rules =
      domain !== undefined && policy && Object.hasOwn(policy.domains, domain) ? policy.domains[domain] : undefined;
    if (rules && !rules.names.some((prefix) => isUnder(name, prefix))) {
      c.fail(at, `domain '${domain}' may not register '${name}' (its names: ${rules.names.join(", ") || "none"})`);
    }
    if (text !== undefined) out[name] = text;
  }
  return out;
}

function checkFiles(c: Checker, value: Json): FileEntry[] {
  const items = c.array(value, "$.files", MANIFEST_LIMITS.files) ?? [];
  const seen = new Set<string>();
  const out: FileEntry[] = [];
  items.forEach((item, i) => {
    const path = `$.files[${i}]`;
    const record = c.object(item, path, MANIFEST_KEYS.file);
    if (!record) return;
    const diskPath = c.string(c.required(record, "path", path), `${path}.path`);
    const source = c.string(c.required(record, "source", path), `${path}.source`);
    if (diskPath !== undefined) {
      if (checkName(diskPath) !== 0) c.fail(`${path}.path`, `'${diskPath}' is not a valid absolute path`);
      if (seen.has(diskPath)) c.fail(`${path}.path`, `duplicate file path '${diskPath}'`);
      seen.add(diskPath);
    }
    if (diskPath !== undefined && source !== undefined) out.push({ path: diskPath, source });
  });
  return out;
}

function checkPolicy(c: Checker, value: Json): Policy | undefined {
  const record = c.object(value, "$.policy", MANIFEST_KEYS.policy);
  if (!record) return undefined;
  const types = c.strings(c.required(record, "types", "$.policy"), "$.policy.types", 256, (v, p) =>
    c.identifier(v, p, "security type"),
  );
  const typeSet = new Set(types);
  if (typeSet.size !== types.length) c.fail("$.policy.types", "duplicate security type");
  const knownType = (type: string | undefined, path: string): void => {
    if (type !== undefined && !typeSet.has(type)) {
      c.fail(path, `unknown security type '${type}' (declared: ${types.join(", ") || "none"})`);
    }
  };
  const domainsRecord = c.object(
    c.required(record, "domains", "$.policy"),
    "$.policy.domains",
    Object.keys(record.domains ?? {}),
  );
  const domains: Record<string, DomainPolicy> = {};
  for (const [name, body] of Object.entries(domainsRecord ?? {})) {
    const path = `$.policy.domains.${name}`;
    if (c.identifier(name, path, "domain name") === undefined) continue;
    if (name === PROCMGR_DOMAIN) {
      c.fail(path, `'${PROCMGR_DOMAIN}' is the process manager's own domain and cannot be declared`);
    }
    const domain = checkDomain(c, body, path, knownType);
    if (domain) domains[name] = domain;
  }
  const labels: Label[] = [];
  const labelItems = record.labels === undefined ? [] : (c.array(record.labels, "$.policy.labels", 256) ?? []);
  labelItems.forEach((item, i) => {
    const path = `$.policy.labels[${i}]`;
    const label = c.object(item, path, MANIFEST_KEYS.label);
    if (!label) return;
    const prefix = c.string(c.required(label, "prefix", path), `${path}.prefix`);
    const type = c.string(c.required(label, "type", path), `${path}.type`);
    if (prefix !== undefined && !isValidPrefix(prefix)) {
      c.fail(`${path}.prefix`, `'${prefix}' is not a valid name prefix`);
    }
    knownType(type, `${path}.type`);
    if (prefix !== undefined && type !== undefined) labels.push({ prefix, type });
  });
  return { types, domains, labels };
}

function checkDomain(
  c: Checker,
  value: Json,
  path: string,
  knownType: (type: string | undefined, path: string) => void,
): DomainPolicy | undefined {
  const record = c.object(value, path, MANIFEST_KEYS.domain);
  if (!record) return undefined;
  const flag = (key: string): boolean =>
    record[key] === undefined ? false : (c.boolean(record[key], `${path}.${key}`) ?? false);
  const createIpc = flag("createIpc");
  const createSystem = flag("createSystem");
  if (createSystem && !createIpc) {
    c.fail(`${path}.createSystem`, "a domain that may create system objects must also have createIpc");
  }
  const names =
    record.names === undefined ? [] : c.strings(record.names, `${path}.names`, 256, (v, p) => c.string(v, p));
  names.forEach((prefix, i) => {
    if (!isValidPrefix(prefix)) {
      c.fail(`${path}.names[${i}]`, `'${prefix}' is not a valid name prefix (like /user/echo)`);
    }
  });
  const reach =
    record.reach === undefined ? [] : c.strings(record.reach, `${path}.reach`, 256, (v, p) => c.string(v, p));
  reach.forEach((type, i) => knownType(type, `${path}.reach[${i}]`));
  // "" stands for none: the form a manifest without objectType is stored in.
  const objectType = record.objectType === undefined ? "" : (c.string(record.objectType, `${path}.objectType`) ?? "");
  if (objectType !== "") {
    knownType(objectType, `${path}.objectType`);
  } else if (createIpc) {
    c.fail(path, "missing required key 'objectType' (a domain that may create objects must say their type)");
  }
  const spawn =
    record.spawn === undefined
      ? []
      : c.strings(record.spawn, `${path}.spawn`, MANIFEST_LIMITS.programs, (v, p) => c.string(v, p));
  return { createIpc, createSystem, names, reach, objectType, spawn, watch: flag("watch") };
}

function checkSpawnRefs(c: Checker, policy: Policy, programs: readonly ProgramEntry[]): void {
  const known = new Set(programs.map((p) => p.name));
  for (const [name, domain] of Object.entries(policy.domains)) {
    domain.spawn.forEach((program, i) => {
      if (!known.has(program)) c.fail(`$.policy.domains.${name}.spawn[${i}]`, `unknown program '${program}'`);
    });
  }
}

/** One line per problem, for the command line. */
export function formatProblems(problems: readonly ManifestProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("\n");
}

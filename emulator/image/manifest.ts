/**
 * The image manifest: what a system image holds and the security policy it
 * boots with. Written by users as JSON (`manifest.schema.json` is its schema),
 * checked by `validateManifest`, and stored inside every image.
 *
 * Paths in `source` fields are relative to the manifest's directory when the
 * image is built; once built, the image carries the contents, not the paths.
 */

export const MANIFEST_VERSION = 1;

export interface Manifest {
  readonly manifestVersion: typeof MANIFEST_VERSION;
  readonly name: string;
  /** The program whose exit status is the run's. */
  readonly init: string;
  /** In start order. */
  readonly programs: readonly ProgramEntry[];
  /** IDL files whose interfaces the trace decodes (the system's own are always known). */
  readonly interfaces: readonly string[];
  readonly policy: Policy;
  readonly files: readonly FileEntry[];
}

export interface ProgramEntry {
  readonly name: string;
  /** A TypeScript or JavaScript module whose default export is the program's entry. */
  readonly source: string;
  readonly domain: string;
  readonly args: readonly string[];
  /** Whether the process manager starts it at boot; otherwise it is spawned on request. */
  readonly autostart: boolean;
  /** Names the program registers, each with the IDL interface it serves there (for the trace). */
  readonly serves: Readonly<Record<string, string>>;
  /**
   * Whether the program may reach the RAM-disk files: given as copies when it
   * starts (a file server), and as memory objects through `ramdisk_open`.
   */
  readonly ramDisk: boolean;
  /** The user and group its processes run as, told to servers by `identify`; default DEFAULT_ID (validateManifest fills both). */
  readonly uid?: number;
  readonly gid?: number;
}

/** The uid and gid of a program whose manifest entry gives none: nobody's, as on Linux (65534). */
export const DEFAULT_ID = 65534;

export interface FileEntry {
  /** Absolute path on the RAM disk. */
  readonly path: string;
  readonly source: string;
}

export interface Policy {
  /** Every security type an object may carry. */
  readonly types: readonly string[];
  readonly domains: Readonly<Record<string, DomainPolicy>>;
  /** Names whose objects get a given type, whoever creates them; the longest prefix wins. */
  readonly labels: readonly Label[];
}

export interface DomainPolicy {
  readonly createIpc: boolean;
  readonly createSystem: boolean;
  /** Subtrees of the namespace the domain may register names in. */
  readonly names: readonly string[];
  /** Security types whose objects the domain may look up. */
  readonly reach: readonly string[];
  /** The type of an object the domain creates, unless a label says otherwise. */
  readonly objectType: string;
  /** Programs of the image the domain may spawn. */
  readonly spawn: readonly string[];
  /** May subscribe to the exit of any process (a server cleaning up after its clients), not only its children and its own domain's. */
  readonly watch: boolean;
}

export interface Label {
  readonly prefix: string;
  readonly type: string;
}

/** The domain the process manager itself runs in; manifests may not declare it. */
export const PROCMGR_DOMAIN = "procmgr";

/** Limits a manifest must respect; the namespace rules come from the process manager. */
export const MANIFEST_LIMITS = {
  nameLength: 64,
  programs: 64,
  files: 4096,
  args: 64,
  argLength: 1024,
} as const;

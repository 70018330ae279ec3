/** System images: the manifest, the file format, building and reading. */
export type { DomainPolicy, FileEntry, Label, Manifest, Policy, ProgramEntry } from "./manifest.js";
export { MANIFEST_VERSION, PROCMGR_DOMAIN } from "./manifest.js";
export { type ManifestProblem, type ManifestResult, formatProblems, validateManifest } from "./validate-manifest.js";
export { type ImageContents, type ImageFile, type ImageProgram, IMAGE_FORMAT_VERSION } from "./format.js";
export { encodeImage } from "./encode.js";
export { type ImageError, type ReadResult, readImage } from "./read.js";
export { type BuildOptions, type BuildProgress, BuildError, buildImage, collectImage } from "./build.js";

/** The VFS example's file system: pure, deterministic, errnos as values. */
export { Errno, type Result, errnoName, fail, ok } from "./errno.js";
export { NAME_MAX, PATH_MAX, parsePath, type ParsedPath } from "./path.js";
export { ARRAY_PAGES, PAGE_SIZE, PageCache, PagePool, type PageStore, type PieceSink, type PieceSource, type SpanSink } from "./page-cache.js";
export {
  type DirEntry,
  type DirNode,
  type FileNode,
  FileSystem,
  type FileSystemOptions,
  type FileType,
  MAX_FILE_SIZE,
  type Node,
  type RamDiskFile,
  type Stat,
  statOf,
} from "./file-system.js";
export { MAX_OPEN_FILES, OpenFiles, OpenFlags, Whence } from "./open-files.js";

/**
 * Diagnostics of the check and layout phases: 2xxx names and imports, 3xxx
 * types and values, 4xxx interfaces and function numbers, 5xxx layout and
 * sizes. Every definition has a section in docs/diagnostics.md and a fixture
 * `tests/compiler/bad/dk-NNNN-*.idl`. Numbers are never reused.
 */
import { defineError, defineWarning } from "./diagnostic.js";

// ---- 2xxx names and imports -----------------------------------------------------

/** An import, or a file named on the command line (then without a location), cannot be read. */
export const ErrFileNotFound = defineError<[path: string]>(2001, "ErrFileNotFound", "cannot find file '{0}'");
export const ErrImportCycle = defineError<[cycle: string]>(2002, "ErrImportCycle", "import cycle: {0}");
export const ErrDuplicateDeclaration = defineError<[name: string]>(
  2003,
  "ErrDuplicateDeclaration",
  "'{0}' is declared more than once",
);
export const ErrNameIsBuiltin = defineError<[name: string]>(
  2004,
  "ErrNameIsBuiltin",
  "'{0}' is a built-in name and cannot be declared",
);
export const ErrUnknownType = defineError<[name: string]>(2005, "ErrUnknownType", "unknown type '{0}'");
export const ErrUnknownConstant = defineError<[name: string]>(2006, "ErrUnknownConstant", "unknown constant '{0}'");
export const ErrUnknownEnumMember = defineError<[enumName: string, member: string]>(
  2007,
  "ErrUnknownEnumMember",
  "enum '{0}' has no member '{1}'",
);
export const ErrNotAType = defineError<[name: string, what: string]>(2008, "ErrNotAType", "'{0}' is {1}, not a type");
export const ErrNotAValue = defineError<[name: string, what: string]>(
  2009,
  "ErrNotAValue",
  "'{0}' is {1}, not a value",
);
export const ErrUnknownInterface = defineError<[name: string]>(2010, "ErrUnknownInterface", "unknown interface '{0}'");
export const ErrDuplicateMember = defineError<[what: string, name: string]>(
  2011,
  "ErrDuplicateMember",
  "duplicate {0} '{1}'",
);
export const WarnDuplicateImport = defineWarning<[path: string]>(
  2012,
  "WarnDuplicateImport",
  "'{0}' is imported more than once",
);
export const WarnUnknownAttribute = defineWarning<[name: string]>(
  2013,
  "WarnUnknownAttribute",
  "unknown attribute '@{0}' is ignored",
);
export const ErrAttributeMisplaced = defineError<[name: string, allowed: string]>(
  2014,
  "ErrAttributeMisplaced",
  "attribute '@{0}' is only allowed on {1}",
);
export const ErrAttributeTakesNoValue = defineError<[name: string]>(
  2015,
  "ErrAttributeTakesNoValue",
  "attribute '@{0}' takes no value",
);
export const ErrImportPathInvalid = defineError<[path: string]>(
  2016,
  "ErrImportPathInvalid",
  "import path '{0}' must be a relative path to an .idl file",
);
// ---- 3xxx types and values ---------------------------------------------------------

export const ErrWrongTypeArgumentCount = defineError<[type: string, expected: string, got: number]>(
  3001,
  "ErrWrongTypeArgumentCount",
  "'{0}' takes {1}, got {2}",
);
export const ErrExpectedType = defineError<[type: string]>(
  3002,
  "ErrExpectedType",
  "the element of '{0}' must be a type, not a value",
);
export const ErrExpectedValue = defineError<[type: string]>(
  3003,
  "ErrExpectedValue",
  "the bound of '{0}' must be a constant value, not a type",
);
export const ErrBoundOutOfRange = defineError<[type: string, value: string]>(
  3004,
  "ErrBoundOutOfRange",
  "the bound of '{0}' must be between 1 and 65535, got {1}",
);
export const ErrVariableSizeElement = defineError<[container: string]>(
  3005,
  "ErrVariableSizeElement",
  "the element of '{0}' must be of fixed size (no string, bytes, vector or struct containing them)",
);
export const ErrDescriptorNotAllowed = defineError<[type: string]>(
  3006,
  "ErrDescriptorNotAllowed",
  "'{0}' may only be a method parameter, not inside a struct, array, vector or constant",
);
export const ErrUnknownDescKind = defineError<[kind: string]>(
  3007,
  "ErrUnknownDescKind",
  "unknown descriptor kind '{0}' (expected any, door, memory, process, thread or lease)",
);
export const ErrUnknownRight = defineError<[right: string]>(
  3008,
  "ErrUnknownRight",
  "unknown right '{0}' (expected send, receive, read, write, map or dup)",
);
export const ErrUnknownLeaseAccess = defineError<[access: string]>(
  3009,
  "ErrUnknownLeaseAccess",
  "unknown lease access '{0}' (expected read, write or readwrite)",
);
export const ErrLeaseInReply = defineError<[param: string]>(
  3010,
  "ErrLeaseInReply",
  "lease '{0}' cannot be in a reply: a lease is lent by the caller for one request",
);
export const ErrEnumBaseNotInteger = defineError<[type: string]>(
  3011,
  "ErrEnumBaseNotInteger",
  "the base of an enum must be an integer type, not '{0}'",
);
export const ErrEnumValueDoesNotFit = defineError<[member: string, value: string, base: string]>(
  3012,
  "ErrEnumValueDoesNotFit",
  "value {1} of '{0}' does not fit in {2}",
);
export const ErrDuplicateEnumValue = defineError<[member: string, value: string, other: string]>(
  3013,
  "ErrDuplicateEnumValue",
  "'{0}' has the value {1}, already used by '{2}'",
);
export const ErrEmptyStruct = defineError<[name: string]>(3014, "ErrEmptyStruct", "struct '{0}' has no fields");
export const ErrRecursiveStruct = defineError<[cycle: string]>(
  3015,
  "ErrRecursiveStruct",
  "struct contains itself by value: {0}",
);
export const ErrConstTypeNotAllowed = defineError<[type: string]>(
  3016,
  "ErrConstTypeNotAllowed",
  "a constant must be of an integer type, bool or string, not '{0}'",
);
export const ErrValueDoesNotFit = defineError<[value: string, type: string]>(
  3017,
  "ErrValueDoesNotFit",
  "value {0} does not fit in {1}",
);
export const ErrTypeMismatch = defineError<[expected: string, got: string]>(
  3018,
  "ErrTypeMismatch",
  "expected {0}, got {1}",
);
export const ErrConstCycle = defineError<[cycle: string]>(
  3019,
  "ErrConstCycle",
  "constant defined in terms of itself: {0}",
);
export const ErrDivisionByZero = defineError<[]>(3020, "ErrDivisionByZero", "division by zero");
export const ErrShiftOutOfRange = defineError<[amount: string]>(
  3021,
  "ErrShiftOutOfRange",
  "shift amount {0} is outside 0..63",
);
export const ErrArithmeticOverflow = defineError<[value: string]>(
  3022,
  "ErrArithmeticOverflow",
  "intermediate result {0} is outside the 64-bit range",
);
export const ErrStringConstTooLong = defineError<[bytes: number, bound: number]>(
  3023,
  "ErrStringConstTooLong",
  "the string is {0} UTF-8 bytes, more than its bound {1}",
);
export const ErrTypeTakesNoArguments = defineError<[type: string]>(
  3024,
  "ErrTypeTakesNoArguments",
  "'{0}' takes no type arguments",
);
export const ErrDuplicateRight = defineError<[right: string]>(3025, "ErrDuplicateRight", "right '{0}' is listed twice");
export const ErrDefinitionsTooDeep = defineError<[what: string, limit: number]>(
  3026,
  "ErrDefinitionsTooDeep",
  "{0} are defined through one another more than {1} levels deep here",
);

// ---- 4xxx interfaces and function numbers -------------------------------------------

export const ErrUnknownRangeClass = defineError<[name: string]>(
  4001,
  "ErrUnknownRangeClass",
  "unknown range class '{0}' (expected kernel, procmgr, system or user)",
);
export const ErrMixedNumbering = defineError<[iface: string]>(
  4002,
  "ErrMixedNumbering",
  "in '{0}', either every method has an explicit number or none has",
);
export const ErrNumberOutOfRange = defineError<[method: string, fn: string, rangeClass: string, range: string]>(
  4003,
  "ErrNumberOutOfRange",
  "function number {1} of '{0}' is outside the {2} range {3}",
);
export const ErrDuplicateNumber = defineError<[method: string, fn: string, other: string]>(
  4004,
  "ErrDuplicateNumber",
  "function number {1} of '{0}' is already used by '{2}'",
);
export const ErrReservedNumberUsed = defineError<[method: string, fn: string]>(
  4005,
  "ErrReservedNumberUsed",
  "function number {1} of '{0}' is reserved",
);
export const ErrReservedOutOfRange = defineError<[fn: string, rangeClass: string, range: string]>(
  4006,
  "ErrReservedOutOfRange",
  "reserved number {0} is outside the {1} range {2}",
);
export const ErrDuplicateReserved = defineError<[fn: string]>(
  4007,
  "ErrDuplicateReserved",
  "number {0} is reserved more than once",
);
export const ErrNumberingExhausted = defineError<[method: string, rangeClass: string, range: string]>(
  4008,
  "ErrNumberingExhausted",
  "no number left for '{0}' in the {1} range {2}",
);
export const ErrComposeClassMismatch = defineError<[iface: string, cls: string, other: string, otherCls: string]>(
  4009,
  "ErrComposeClassMismatch",
  "'{0}' ({1}) cannot compose '{2}' ({3}): both must have the same range class",
);
export const ErrComposeCollision = defineError<[fn: string, first: string, second: string, iface: string]>(
  4010,
  "ErrComposeCollision",
  "function number {0} of '{1}' collides with '{2}' in '{3}'",
);
export const ErrComposeCycle = defineError<[cycle: string]>(4011, "ErrComposeCycle", "compose cycle: {0}");
export const ErrComposeNameClash = defineError<[method: string, first: string, second: string, iface: string]>(
  4012,
  "ErrComposeNameClash",
  "method '{0}' of '{1}' has the same name as one of '{2}' in '{3}'",
);
export const ErrDuplicateCompose = defineError<[name: string]>(
  4013,
  "ErrDuplicateCompose",
  "'{0}' is composed more than once",
);
export const ErrTrapWithParameters = defineError<[method: string]>(
  4014,
  "ErrTrapWithParameters",
  "@trap method '{0}' passes its arguments in registers and must declare no parameters",
);
export const ErrTrapOutsideKernel = defineError<[method: string]>(
  4015,
  "ErrTrapOutsideKernel",
  "@trap method '{0}' must be in a kernel-class interface",
);
export const ErrComposeReservedNumber = defineError<[fn: string, method: string, reservedBy: string, iface: string]>(
  4016,
  "ErrComposeReservedNumber",
  "function number {0} of '{1}' is reserved by '{2}', which '{3}' also serves",
);

// ---- 5xxx layout and sizes ----------------------------------------------------------

export const ErrMessageTooLarge = defineError<[iface: string, method: string, request: number, reply: number]>(
  5001,
  "ErrMessageTooLarge",
  "method '{0}.{1}' needs {2} bytes for its request and {3} for its reply; a message buffer holds at most 4095",
);
export const ErrTypeTooLarge = defineError<[name: string, size: string]>(
  5002,
  "ErrTypeTooLarge",
  "'{0}' takes {1} bytes; a type may take at most 65535",
);
export const ErrTooManyDescriptors = defineError<[iface: string, method: string, which: string, count: number]>(
  5003,
  "ErrTooManyDescriptors",
  "the {2} of '{0}.{1}' carries {3} descriptors; at most 255 fit in msgDescN",
);

export const checkDiagnostics = [
  ErrFileNotFound,
  ErrImportCycle,
  ErrDuplicateDeclaration,
  ErrNameIsBuiltin,
  ErrUnknownType,
  ErrUnknownConstant,
  ErrUnknownEnumMember,
  ErrNotAType,
  ErrNotAValue,
  ErrUnknownInterface,
  ErrDuplicateMember,
  WarnDuplicateImport,
  WarnUnknownAttribute,
  ErrAttributeMisplaced,
  ErrAttributeTakesNoValue,
  ErrImportPathInvalid,
  ErrWrongTypeArgumentCount,
  ErrExpectedType,
  ErrExpectedValue,
  ErrBoundOutOfRange,
  ErrVariableSizeElement,
  ErrDescriptorNotAllowed,
  ErrUnknownDescKind,
  ErrUnknownRight,
  ErrUnknownLeaseAccess,
  ErrLeaseInReply,
  ErrEnumBaseNotInteger,
  ErrEnumValueDoesNotFit,
  ErrDuplicateEnumValue,
  ErrEmptyStruct,
  ErrRecursiveStruct,
  ErrConstTypeNotAllowed,
  ErrValueDoesNotFit,
  ErrTypeMismatch,
  ErrConstCycle,
  ErrDivisionByZero,
  ErrShiftOutOfRange,
  ErrArithmeticOverflow,
  ErrStringConstTooLong,
  ErrTypeTakesNoArguments,
  ErrDuplicateRight,
  ErrDefinitionsTooDeep,
  ErrUnknownRangeClass,
  ErrMixedNumbering,
  ErrNumberOutOfRange,
  ErrDuplicateNumber,
  ErrReservedNumberUsed,
  ErrReservedOutOfRange,
  ErrDuplicateReserved,
  ErrNumberingExhausted,
  ErrComposeClassMismatch,
  ErrComposeCollision,
  ErrComposeCycle,
  ErrComposeNameClash,
  ErrDuplicateCompose,
  ErrTrapWithParameters,
  ErrTrapOutsideKernel,
  ErrComposeReservedNumber,
  ErrMessageTooLarge,
  ErrTypeTooLarge,
  ErrTooManyDescriptors,
] as const;

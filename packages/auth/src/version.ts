/** This package's version, for the User-Agent (a constant: a bundled copy has no package.json beside it). */
export const VERSION = "0.1.0";

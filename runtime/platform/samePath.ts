// Path equality as the platform's file system sees it: case-insensitive on Windows and macOS, exact elsewhere.
import { posix, win32 } from 'node:path';

/** Windows volumes and macOS's default APFS/HFS+ volumes ignore case; VS Code and users spell drive letters both ways. */
export function pathsIgnoreCase(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'win32' || platform === 'darwin';
}

/** The form two paths are compared in: resolved, separators unified, case folded where the platform ignores it. */
export function comparablePath(p: string, platform: NodeJS.Platform = process.platform): string {
  const resolved = platform === 'win32' ? win32.resolve(p) : posix.resolve(p);
  return pathsIgnoreCase(platform) ? resolved.toLowerCase() : resolved;
}

export function samePath(a: string, b: string, platform: NodeJS.Platform = process.platform): boolean {
  return comparablePath(a, platform) === comparablePath(b, platform);
}

import { readdirSync, readFileSync } from 'node:fs';

/** A process's state letter from /proc (`R`, `S`, `D`, `Z`, …), or `gone`. Linux only. */
export function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
}

const parentOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
};

/** Live (not zombie) Chromium processes whose parent is `parent` (this process by default). */
export function childBrowserPids(parent = process.pid): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return (
          parentOf(pid) === parent &&
          !['Z', 'gone'].includes(processState(pid)) &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium')
        );
      } catch {
        return false;
      }
    });
}

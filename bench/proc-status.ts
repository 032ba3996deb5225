import { readFileSync } from 'node:fs';

export interface ProcMemory {
  /** Resident set size now. */
  rssBytes: number;
  /** The high-water mark of the resident set since the process started: its peak RSS. */
  peakRssBytes: number;
}

/** Reads the kernel's view of a process's memory, which counts everything Node's own figures miss. */
export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}

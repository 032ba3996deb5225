import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  /** A container's CPU quota, when the cgroup sets one: fewer cores than `cores` may be usable. */
  cpuQuota: string | null;
  memTotal: string;
  node: string;
  kernel: string;
}

export function describeMachine(): MachineInfo {
  const cpuinfo = readOptional('/proc/cpuinfo');
  const meminfo = readOptional('/proc/meminfo');
  const memKib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(meminfo)?.[1] ?? Number.NaN);
  const quota = readOptional('/sys/fs/cgroup/cpu.max').trim();
  const [max, period] = quota.split(' ');
  return {
    cpuModel:
      /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    cpuQuota:
      max && period && max !== 'max' ? `${(Number(max) / Number(period)).toFixed(2)} CPUs` : null,
    memTotal: Number.isNaN(memKib) ? 'unknown' : `${(memKib / 1024 / 1024).toFixed(1)} GiB`,
    node: process.version,
    kernel: `Linux ${release()}`,
  };
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

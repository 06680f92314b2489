/** A process's CPU time and memory, read from Linux's /proc (benchmarks only). */
import { readFile } from "node:fs/promises";

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcStat {
  ppid: number;
  /** utime + stime, in seconds. */
  cpu: number;
  /** cutime + cstime: children that exited and were waited for. */
  children: number;
}

export async function procStat(pid: number): Promise<ProcStat | null> {
  const text = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!text) return null;
  // The command name may hold spaces: the fields start after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const field = (index: number) => Number(fields[index - 3] ?? 0);
  return {
    ppid: field(4),
    cpu: (field(14) + field(15)) / CLOCK_TICKS,
    children: (field(16) + field(17)) / CLOCK_TICKS,
  };
}

/** VmRSS in MB (unrounded), null once the process is gone. */
export async function rssMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  const match = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status) : null;
  return match ? Number(match[1]) / 1024 : null;
}

import { readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";

/** Thrown when another process already has the embedded database open. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dir} is already open in process ${pid} (a running Grassroots server?). ` +
        "PGlite serves one process at a time: stop that process first, or run several servers on PostgreSQL " +
        "(DATABASE_URL). / Cơ sở dữ liệu nhúng trong thư mục này đang được tiến trình khác mở (máy chủ Grassroots " +
        "đang chạy?): hãy dừng tiến trình đó trước, hoặc dùng PostgreSQL để chạy nhiều máy chủ.",
    );
    this.name = "DataDirInUseError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: unknown) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the embedded database folder for this process: a lock file beside it names the holder. PGlite is PostgreSQL
 * in one process's memory, so a second process writing the same folder would corrupt it; a lock left by a process
 * that died is taken over. Returns the release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  const me = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, JSON.stringify(me), { flag: "wx" });
      return () => rm(file, { force: true });
    } catch (err: unknown) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = await readFile(file, "utf8")
        .then((text) => JSON.parse(text) as { pid?: unknown; host?: unknown })
        .catch(() => ({}) as { pid?: unknown; host?: unknown });
      const pid = typeof holder.pid === "number" ? holder.pid : 0;
      if (pid > 0 && holder.host === me.host && isAlive(pid)) throw new DataDirInUseError(dir, pid);
      await rm(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock on ${dir}`);
}

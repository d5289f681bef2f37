import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = process.env.POLAR_MCP_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** A private PostgreSQL cluster in a temp dir on a free port, for one test file. */
export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway cluster (initdb -A trust, pg_ctl start). As root, initdb refuses to
 * run, so the cluster belongs to the `postgres` system user and commands go through runuser.
 */
export async function startPostgres(): Promise<PrivatePostgres> {
  if (!existsSync(join(BIN, "initdb"))) {
    throw new Error(
      `PostgreSQL binaries not found in ${BIN}; install Debian's postgresql package (scripts/system-packages.txt) or set POLAR_MCP_PG_BIN.`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), "polar-gateway-pg-"));
  const data = join(root, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(BIN, cmd), ...args])
      : run(join(BIN, cmd), args);
  const port = await freePort();
  await exec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  await exec("pg_ctl", [
    "-D",
    data,
    "-l",
    join(root, "log"),
    "-w",
    "-o",
    `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`,
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

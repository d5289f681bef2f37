// Runs the real `polar-mcp` bin as a child process, as a person's shell would, and waits on
// what it prints (never on a fixed sleep).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/polar-mcp.js", import.meta.url));

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr matches; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves with the exit code (a signal's death is reported as `signal:NAME`). */
  exited: Promise<number | string>;
}

export function startCli(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const waiters: Array<() => void> = [];
  const notify = () => waiters.forEach((check) => check());
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
    notify();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
    notify();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? `signal:${String(signal)}`));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out) ?? pattern.exec(err);
          if (match) resolve(match[0]);
        };
        waiters.push(check);
        check();
        void exited.then((code) =>
          reject(new Error(`exited (${code}) before printing ${pattern}:\n${out}\n${err}`)),
        );
      }),
  };
}

/** Runs the bin to its end. */
export async function runCliProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const cli = startCli(args, env);
  cli.child.stdin?.end();
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

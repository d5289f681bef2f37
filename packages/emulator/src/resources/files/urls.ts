import { createHmac, timingSafeEqual } from "node:crypto";
import type { FileRecord } from "./store.js";

/** Presigned URLs live an hour, as Polar's S3 presigning. */
export const PRESIGNED_TTL_MS = 3_600_000;

const sign = (file: FileRecord, purpose: string, expires: number) =>
  createHmac("sha256", file.url_secret)
    .update(`${purpose}:${file.id}:${expires}`)
    .digest("base64url");

/** A URL on the emulator that stands for S3's presigned one (PUT a part / GET the bytes). */
export function presignedUrl(
  origin: string,
  file: FileRecord,
  purpose: "upload" | "download",
  expires: number,
  part?: number,
): string {
  const path =
    purpose === "upload" ? `/__files/upload/${file.id}/${part}` : `/__files/download/${file.id}`;
  const url = new URL(path, origin);
  url.searchParams.set("expires", String(expires));
  url.searchParams.set("signature", sign(file, `${purpose}${part ?? ""}`, expires));
  return url.toString();
}

/** Whether a presigned URL's signature holds and it has not expired (on the emulator's clock). */
export function checkSignature(file: FileRecord, purpose: string, url: URL, now: number): boolean {
  const expires = Number(url.searchParams.get("expires"));
  const given = Buffer.from(url.searchParams.get("signature") ?? "");
  const expected = Buffer.from(sign(file, purpose, expires));
  return (
    Number.isFinite(expires) &&
    expires > now &&
    given.length === expected.length &&
    timingSafeEqual(given, expected)
  );
}

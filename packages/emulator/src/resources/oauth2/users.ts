import type { EmulatorContext } from "../../context.js";
import { iso, newId } from "../../ids.js";
import { organizations, type OrganizationRecord } from "../organizations/store.js";
import { users, type UserRecord } from "./store.js";

/** The email of the user the emulator's browser is signed in as. */
export const TEST_USER_EMAIL = "test-user@polar-emulator.local";

/**
 * The user signed in at the consent page: one test user per database, created on first
 * use. There is no login (a local emulator has one developer): the consent page says who
 * is signed in, and that user is a member of every organization of the emulator.
 */
export function testUser(ctx: EmulatorContext): UserRecord {
  const existing = users(ctx).findBy("email", TEST_USER_EMAIL)[0];
  if (existing) return existing;
  return users(ctx).insert({
    id: newId(),
    email: TEST_USER_EMAIL,
    email_verified: true,
    avatar_url: null,
    created_at: iso(ctx.clock.now()),
  });
}

/** The organizations a user can down-scope a token to (all of them, see `testUser`). */
export function organizationsOfUser(ctx: EmulatorContext): OrganizationRecord[] {
  return organizations(ctx).all();
}

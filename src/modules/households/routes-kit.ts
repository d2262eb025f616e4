import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../http/context.ts";
import { errorResponses, errorSchema } from "../../http/route.ts";
import { safeText } from "../../http/text.ts";

export const ok = (description: string) => ({
  description,
  content: { "application/json": { schema: z.unknown() } },
});
export const ctxOf = (c: Context<AppEnv>) => ({ actor: c.get("actor"), requestId: c.get("requestId") });
export const responses = {
  200: ok("Done"),
  ...errorResponses,
  409: ok("Conflicts with what is stored (changed meanwhile, locked, already there); details say which"),
  422: {
    description: "Refused by a rule; the message says which",
    content: { "application/json": { schema: errorSchema } },
  },
};
export const body = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { "application/json": { schema } } },
});
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const communeQuery = z.object({ commune: safeText().trim().min(1).max(32) });
export const tags = ["Households"];

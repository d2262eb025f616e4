import { sql } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { type Db, rowsOf } from "../../db/client.ts";
import { testCtx } from "../../db/testing/seed.ts";
import type { RequestContext, Role, SignedIn } from "../access/actor.ts";
import { scopeOfVersion } from "../access/scope.ts";
import { createUser } from "../access/users.ts";
import { transitionReport } from "../reporting/workflow.ts";

/** A signed-in account made for a test, as the request context its operations run with. */
export async function testAccount(
  db: Db,
  username: string,
  role: Role,
  scopeCode: string,
): Promise<RequestContext & { actor: SignedIn; userId: number }> {
  const { user } = await createUser(db, testCtx, new Date(), {
    username,
    displayName: username,
    role,
    scopeCode,
    password: "rất-dài-và-khó-đoán-1",
  });
  const [row] = rowsOf<{ scope_version_id: string }>(
    await db.execute(sql`SELECT scope_version_id FROM users WHERE id = ${user.id}`),
  );
  return {
    actor: {
      kind: "user" as const,
      id: String(user.id),
      role,
      scope: await scopeOfVersion(db, Number(row?.scope_version_id)),
    },
    requestId: "test",
    userId: user.id,
  };
}

/** Moves a report of the demo form through the workflow as `ctx`, from whatever version it is at. */
export async function transition(
  db: Db,
  ctx: RequestContext,
  unit: string,
  period: string,
  action: "submit" | "approve" | "return" | "withdraw" | "unlock",
  reason?: string,
) {
  const [row] = rowsOf<{ version: number }>(
    await db.execute(sql`
      SELECT r.version FROM reports r JOIN unit_versions v ON v.id = r.unit_version_id JOIN forms f ON f.id = r.form_id
      WHERE f.code = 'KTXH_XA' AND v.code = ${unit} AND r.period = ${period}`),
  );
  return transitionReport(db, ctx, {
    form: "KTXH_XA",
    unit,
    period,
    action,
    expectedVersion: row?.version ?? 0,
    ...(reason ? { reason } : {}),
  });
}

export interface ReceivedMail {
  to: string[];
  raw: string;
  subject: string;
  key: string;
  /** The body decoded (quoted-printable or base64, UTF-8). */
  text: string;
}

/** The body of a single-part message as text: enough for the plain-text e-mails Grassroots sends. */
function bodyOf(raw: string): string {
  const split = raw.indexOf("\r\n\r\n");
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  if (encoding === "base64") return Buffer.from(body, "base64").toString("utf8");
  if (encoding !== "quoted-printable") return body;
  const joined = body.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i] ?? "", "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * A real SMTP server on a free local port, keeping what it receives. `stop` closes it (what a server that went down
 * looks like to the sender); `start` opens it again on the same port.
 */
export async function startTestSmtp(port = 0) {
  const received: ReceivedMail[] = [];
  const make = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(raw)?.[1]?.trim() ?? "";
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            subject: header("Subject"),
            key: header("X-Grassroots-Key"),
            text: bodyOf(raw),
          });
          callback();
        });
      },
    });
  let server = make();
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => {
        const address = server.server.address();
        resolve(typeof address === "object" && address ? address.port : p);
      });
    });
  const actualPort = await listen(port);
  return {
    port: actualPort,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start: async () => {
      server = make();
      await listen(actualPort);
    },
  };
}

import { createRouter } from "../../http/route.ts";
import "./due-work.ts";
import { disasterRoutes } from "./routes-disasters.ts";
import { householdFileRoutes } from "./routes-files.ts";
import { householdEditRoutes } from "./routes-household-edits.ts";
import { povertyRoutes } from "./routes-poverty.ts";
import { householdRegistryRoutes } from "./routes-registry.ts";
import { supportRoutes } from "./routes-support.ts";

/** Households, the annual poverty review and support programmes, mounted under the API base path. */
export function householdsRoutes() {
  const app = createRouter();
  app.route("/", householdRegistryRoutes());
  app.route("/", povertyRoutes());
  app.route("/", supportRoutes());
  app.route("/", disasterRoutes());
  app.route("/", householdFileRoutes());
  app.route("/", householdEditRoutes());
  return app;
}

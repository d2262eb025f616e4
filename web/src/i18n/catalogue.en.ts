import type { CatalogueMessages } from "./catalogue.vi.ts";

/** English strings of the indicator catalogue screens, loaded with the rest of English on switching. */
export const catalogueEn: CatalogueMessages = {
  nav: "Indicator catalogue",
};

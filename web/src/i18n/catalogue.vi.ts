/**
 * Vietnamese strings of the indicator catalogue screens (namespace "catalogue"). `catalogue.en.ts` must have the
 * same keys.
 */
export const catalogueVi = {
  nav: "Danh mục chỉ tiêu",
};

/** Same keys as Vietnamese; a plural key `x_other` may add `x_one` (English has a singular, Vietnamese has none). */
type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> } & {
  [K in keyof T as K extends `${infer Base}_other` ? `${Base}_one` : never]?: string;
};
export type CatalogueMessages = Messages<typeof catalogueVi>;

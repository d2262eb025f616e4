import { Group } from "@mantine/core";
import { ButtonLink } from "../../components/links.tsx";
import { useSupportText } from "./use-support-text.ts";

type Here = "households" | "programmes" | "disasters";

/**
 * The households area's sub-navigation (the header has no room for more): the register and reviews, support
 * programmes, disasters. `unit` carries the province or commune being looked at from one to the other.
 */
export function SupportLinks({ here, unit }: { here?: Here; unit?: string | undefined }) {
  const { t } = useSupportText();
  const commune = unit && unit.length > 2 ? unit : undefined;
  const variant = (to: Here) => (here === to ? "light" : "subtle");
  return (
    <Group gap={4} wrap="wrap" component="nav" aria-label={t("links.programmes")}>
      <ButtonLink
        size="compact-sm"
        variant={variant("households")}
        to="/households"
        search={{ commune, tab: "support" }}
      >
        {t("links.households")}
      </ButtonLink>
      <ButtonLink
        size="compact-sm"
        variant={variant("programmes")}
        to="/households/support"
        search={{ unit }}
        aria-current={here === "programmes" ? "page" : undefined}
      >
        {t("links.programmes")}
      </ButtonLink>
      <ButtonLink
        size="compact-sm"
        variant={variant("disasters")}
        to="/households/disasters"
        search={{ unit }}
        aria-current={here === "disasters" ? "page" : undefined}
      >
        {t("links.disasters")}
      </ButtonLink>
    </Group>
  );
}

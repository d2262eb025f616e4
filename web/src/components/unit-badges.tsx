import { Badge } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { UnitVersion } from "../api/types.ts";
import { isIllustrative } from "../lib/units.ts";

/** "Hết hiệu lực" for a version that no longer holds; nothing for a current one unless asked. */
export function StatusBadge({
  version,
  showCurrent = false,
  hideEnded = false,
}: {
  version: UnitVersion;
  showCurrent?: boolean;
  hideEnded?: boolean;
}) {
  const { t } = useTranslation();
  if (version.isCurrent) {
    return showCurrent ? (
      <Badge color="teal" variant="light">
        {t("status.current")}
      </Badge>
    ) : null;
  }
  if (hideEnded) return null;
  return (
    <Badge color="red" variant="light">
      {t("status.ended")}
    </Badge>
  );
}

/** Demo villages are marked wherever they appear, so nobody copies them into a report as official. */
export function IllustrativeBadge({ version }: { version: UnitVersion }) {
  const { t } = useTranslation();
  if (!isIllustrative(version)) return null;
  return (
    <Badge color="yellow.4" variant="filled" autoContrast title={t("status.illustrativeHint")}>
      {t("status.illustrative")}
    </Badge>
  );
}

import { Button } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { changeLanguage } from "../i18n/index.ts";

/** One button naming the other language in that language ("English" / "Tiếng Việt"), as officials expect. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const [isSwitching, setSwitching] = useState(false);
  const target = i18n.language === "en" ? "vi" : "en";
  return (
    <Button
      variant="default"
      size="sm"
      lang={target}
      className={className}
      title={t("app.otherLanguageLabel")}
      loading={isSwitching}
      onClick={() => {
        setSwitching(true);
        changeLanguage(target).finally(() => setSwitching(false));
      }}
    >
      {t("app.otherLanguage")}
    </Button>
  );
}

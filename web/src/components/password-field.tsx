import { PasswordInput, type PasswordInputProps } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/** A password input whose show/hide button says, in the UI language, what pressing it will do. */
export function PasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  const [isVisible, setVisible] = useState(false);
  return (
    <PasswordInput
      visible={isVisible}
      onVisibilityChange={setVisible}
      visibilityToggleButtonProps={{
        "aria-label": isVisible ? t("common.hidePassword") : t("common.showPassword"),
      }}
      spellCheck={false}
      autoCapitalize="off"
      {...props}
    />
  );
}

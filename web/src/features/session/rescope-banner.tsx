import { Alert } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { meQuery } from "../../api/auth.ts";
import { endedOn, useAccountText } from "../../lib/use-account-text.ts";

/**
 * An account whose unit was merged away still signs in, but sees only that unit's old records: it says so on every
 * page until an administrator gives it the unit that took over.
 */
export function RescopeBanner() {
  const { t } = useAccountText();
  const me = useQuery(meQuery());
  const user = me.data?.user;
  if (!user?.needsRescope || !user.scope) return null;
  return (
    <Alert color="orange" variant="light" title={t("auth.rescopeTitle")} role="status" mb="md">
      {t("auth.rescope", { name: user.scope.name, date: endedOn(user.scope) })}
    </Alert>
  );
}

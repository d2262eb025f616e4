import { Alert, Button, Group, Modal, NumberInput, Stack, Text, TextInput } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, sendJson } from "../../api/client.ts";
import type { LineageLink } from "../../api/types.ts";
import { unitKeys } from "../../api/units.ts";
import { analyticsKeys } from "../analytics/api.ts";
import { useAnalyticsText } from "../analytics/use-analytics-text.ts";

interface ShareDialogProps {
  /** The edge, seen from one of its two units; null while closed. */
  link: LineageLink | null;
  /** The name of the unit whose page this is (the other end of the edge). */
  here: string;
  direction: "from" | "to";
  onClose: () => void;
}

/**
 * "Khai báo tỷ lệ": the share of a partial lineage edge (the part of the old commune that went to the new one), with
 * what it rests on. The figures on the dashboards move as soon as it is saved.
 */
export function ShareDialog({ link, here, direction, onClose }: ShareDialogProps) {
  const { t } = useAnalyticsText();
  const isPhone = useMediaQuery("(max-width: 36em)");
  return (
    <Modal opened={link !== null} onClose={onClose} title={t("shares.title")} fullScreen={isPhone}>
      {link && <ShareForm key={link.edgeId} link={link} here={here} direction={direction} onDone={onClose} />}
    </Modal>
  );
}

function ShareForm({
  link,
  here,
  direction,
  onDone,
}: {
  link: LineageLink;
  here: string;
  direction: "from" | "to";
  onDone: () => void;
}) {
  const { t } = useAnalyticsText();
  const queryClient = useQueryClient();
  const [percent, setPercent] = useState<number | string>(
    link.share === null ? "" : Math.round(link.share * 1e6) / 1e4,
  );
  const [basis, setBasis] = useState(link.basis ?? "");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (share: number | null) =>
      sendJson("PATCH", `/lineage-edges/${link.edgeId}`, {
        share,
        basis: share === null ? null : basis.trim() || null,
        version: link.version,
      }),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: unitKeys.all }),
        queryClient.invalidateQueries({ queryKey: analyticsKeys.all }),
      ]);
      onDone();
    },
  });
  const [from, to] = direction === "to" ? [here, link.unit.name] : [link.unit.name, here];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = typeof percent === "number" ? percent : Number(String(percent).replace(",", "."));
    if (!(value > 0 && value <= 100)) {
      setFieldError(t("shares.range"));
      return;
    }
    if (!basis.trim()) {
      setFieldError(t("shares.basisNeeded"));
      return;
    }
    setFieldError(null);
    save.mutate(value / 100);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t("shares.intro", { from, to })}</Text>
        <NumberInput
          label={t("shares.percent")}
          description={t("shares.percentHint")}
          value={percent}
          onChange={setPercent}
          decimalSeparator=","
          thousandSeparator="."
          min={0}
          max={100}
          decimalScale={4}
          suffix=" %"
          hideControls
          error={fieldError === t("shares.range") ? fieldError : undefined}
          data-autofocus
        />
        <TextInput
          label={t("shares.basis")}
          placeholder={t("shares.basisPlaceholder")}
          value={basis}
          onChange={(e) => setBasis(e.currentTarget.value)}
          maxLength={200}
          error={fieldError === t("shares.basisNeeded") ? fieldError : undefined}
        />
        {save.isError && (
          <Alert color="red" variant="light" role="alert">
            {save.error instanceof ApiError ? save.error.message : t("shares.failed")}
          </Alert>
        )}
        <Group justify="space-between" wrap="wrap">
          {link.share !== null ? (
            <Button variant="subtle" color="red" onClick={() => save.mutate(null)} loading={save.isPending}>
              {t("shares.clear")}
            </Button>
          ) : (
            <span />
          )}
          <Group gap="xs">
            <Button variant="default" onClick={onDone}>
              {t("shares.cancel")}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t("shares.save")}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

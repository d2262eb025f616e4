import {
  ActionIcon,
  Alert,
  Button,
  Fieldset,
  Group,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { meQuery } from "../../api/auth.ts";
import { fieldErrors } from "../../api/client.ts";
import { DayInput } from "../../components/day-input.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import { recordMeeting, sessionKeys } from "./api.ts";
import { SessionsTabs, splitCodes } from "./parts.tsx";
import { useSessionsText } from "./use-sessions-text.ts";

export const Route = createLazyRoute("/sessions/meetings/new")({ component: MeetingFormPage });

interface Delegate {
  /** A key of its own, so that removing a member keeps the others' fields in place. */
  key: number;
  name: string;
  title: string;
  body: string;
}

/** /sessions/meetings/new: record a working session; the communes' indicators are taken on the date given. */
function MeetingFormPage() {
  const { t } = useSessionsText();
  const me = useQuery(meQuery());
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const scopeCode = me.data?.user?.scope?.code ?? "";
  const [f, setF] = useState({
    title: "",
    heldOn: todayInVietnam() as string | null,
    place: "",
    issuerUnitCode: scopeCode,
    issuingBody: "",
    parentBody: "",
    chairName: "",
    chairPosition: "",
    units: "",
    agenda: "",
    minutes: "",
    noticeNumber: "",
    noticeSymbol: "",
    noticeDate: null as string | null,
    signerName: "",
    signerTitle: "",
    recipients: "",
  });
  const [delegates, setDelegates] = useState<Delegate[]>([]);
  useEffect(() => {
    document.title = `${t("form.title")} — Grassroots`;
  }, [t]);
  useEffect(() => {
    if (scopeCode) setF((prev) => (prev.issuerUnitCode ? prev : { ...prev, issuerUnitCode: scopeCode }));
  }, [scopeCode]);
  const set = (key: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [key]: e.currentTarget.value });
  const save = useMutation({
    mutationFn: () =>
      recordMeeting({
        title: f.title,
        heldOn: f.heldOn ?? "",
        place: f.place,
        issuerUnitCode: f.issuerUnitCode,
        issuingBody: f.issuingBody,
        ...(f.parentBody ? { parentBody: f.parentBody } : {}),
        chairName: f.chairName,
        chairPosition: f.chairPosition,
        agenda: f.agenda,
        minutes: f.minutes,
        delegates: delegates
          .filter((d) => d.name.trim())
          .map((d) => ({ name: d.name, title: d.title, body: d.body })),
        units: splitCodes(f.units).map((code) => ({ code })),
        ...(f.noticeNumber && f.noticeDate
          ? {
              notice: {
                number: f.noticeNumber,
                symbol: f.noticeSymbol,
                date: f.noticeDate,
                signerName: f.signerName,
                signerTitle: f.signerTitle,
                recipients: f.recipients,
              },
            }
          : {}),
      }),
    onSuccess: async (meeting) => {
      await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      await navigate({ to: "/sessions/meetings/$id", params: { id: String(meeting.id) } });
    },
  });
  const errors = fieldErrors(save.error);
  const errorOf = (field: string) =>
    errors.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;

  return (
    <Stack gap="md">
      <AnchorLink to="/sessions" size="sm">
        {t("meeting.back")}
      </AnchorLink>
      <Title order={1}>{t("form.title")}</Title>
      <SessionsTabs />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm" maw={760}>
          <TextInput
            label={t("form.meetingTitle")}
            required
            value={f.title}
            onChange={set("title")}
            error={errorOf("title")}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DayInput
              label={t("form.heldOn")}
              value={f.heldOn}
              onChange={(v) => setF({ ...f, heldOn: v })}
              error={errorOf("heldOn")}
            />
            <TextInput
              label={t("form.place")}
              required
              value={f.place}
              onChange={set("place")}
              error={errorOf("place")}
            />
            <TextInput
              label={t("form.chairName")}
              required
              value={f.chairName}
              onChange={set("chairName")}
              error={errorOf("chairName")}
            />
            <TextInput
              label={t("form.chairPosition")}
              required
              value={f.chairPosition}
              onChange={set("chairPosition")}
              error={errorOf("chairPosition")}
            />
            <TextInput
              label={t("form.issuer")}
              required
              value={f.issuerUnitCode}
              onChange={set("issuerUnitCode")}
              error={errorOf("issuerUnitCode")}
            />
            <TextInput
              label={t("form.issuingBody")}
              required
              value={f.issuingBody}
              onChange={set("issuingBody")}
              error={errorOf("issuingBody")}
            />
          </SimpleGrid>
          <TextInput label={t("form.parentBody")} value={f.parentBody} onChange={set("parentBody")} />
          <TextInput
            label={t("form.units")}
            description={t("form.unitsHint")}
            required
            value={f.units}
            onChange={set("units")}
            error={errorOf("units")}
          />
          <Fieldset legend={t("form.delegates")}>
            <Stack gap="xs">
              {delegates.map((d, i) => (
                <Group key={d.key} align="end" gap="xs" wrap="wrap">
                  <TextInput
                    label={t("form.delegateName")}
                    value={d.name}
                    onChange={(e) =>
                      setDelegates(
                        delegates.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)),
                      )
                    }
                  />
                  <TextInput
                    label={t("form.delegateTitle")}
                    value={d.title}
                    onChange={(e) =>
                      setDelegates(
                        delegates.map((x, j) => (j === i ? { ...x, title: e.currentTarget.value } : x)),
                      )
                    }
                  />
                  <TextInput
                    label={t("form.delegateBody")}
                    value={d.body}
                    onChange={(e) =>
                      setDelegates(
                        delegates.map((x, j) => (j === i ? { ...x, body: e.currentTarget.value } : x)),
                      )
                    }
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    aria-label={t("form.removeDelegate", { n: i + 1 })}
                    onClick={() => setDelegates(delegates.filter((_, j) => j !== i))}
                  >
                    ×
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  variant="light"
                  onClick={() =>
                    setDelegates([...delegates, { key: Date.now(), name: "", title: "", body: "" }])
                  }
                >
                  {t("form.addDelegate")}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
          <Textarea label={t("form.agenda")} autosize minRows={2} value={f.agenda} onChange={set("agenda")} />
          <Textarea
            label={t("form.minutes")}
            autosize
            minRows={3}
            value={f.minutes}
            onChange={set("minutes")}
          />
          <Fieldset legend={t("form.noticeSection")}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t("form.noticeNumber")}
                value={f.noticeNumber}
                onChange={set("noticeNumber")}
              />
              <TextInput
                label={t("form.noticeSymbol")}
                value={f.noticeSymbol}
                onChange={set("noticeSymbol")}
              />
              <DayInput
                label={t("form.noticeDate")}
                value={f.noticeDate}
                onChange={(v) => setF({ ...f, noticeDate: v })}
              />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
              <TextInput label={t("form.signerName")} value={f.signerName} onChange={set("signerName")} />
              <Textarea
                label={t("form.signerTitle")}
                autosize
                minRows={2}
                value={f.signerTitle}
                onChange={set("signerTitle")}
              />
            </SimpleGrid>
            <Textarea
              label={t("form.recipients")}
              autosize
              minRows={2}
              mt="xs"
              value={f.recipients}
              onChange={set("recipients")}
            />
          </Fieldset>
          {save.isError && (
            <Alert color="red" role="alert">
              {save.error.message}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t("form.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}

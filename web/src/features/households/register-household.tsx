import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { DayInput } from "../../components/day-input.tsx";
import { AnchorLink } from "../../components/links.tsx";
import { ErrorState } from "../../components/status.tsx";
import { todayInVietnam } from "../../lib/dates.ts";
import {
  emptyMember,
  type MemberDraft,
  type MemberErrors,
  MemberFields,
  memberBody,
  memberProblems,
} from "./member-fields.tsx";
import { registerHousehold, relations, villagesQuery } from "./registry-api.ts";
import { useRegistryText } from "./use-registry-text.ts";

const others = relations.filter((r) => r !== "head");

/** "Đăng ký hộ mới" on the households list: a button, then the form in a dialog (full screen on a phone). */
export function RegisterHousehold({ commune }: { commune: string }) {
  const { t } = useRegistryText();
  const isPhone = useMediaQuery("(max-width: 36em)");
  const [opened, setOpened] = useState(false);
  const [done, setDone] = useState<{ id: number; code: string; duplicatesQueued: number } | null>(null);
  return (
    <>
      <Group>
        <Button onClick={() => setOpened(true)}>{t("register.open")}</Button>
      </Group>
      {done && (
        <Alert color="green" withCloseButton onClose={() => setDone(null)}>
          <Stack gap={4}>
            <Text size="sm">{t("register.done", { code: done.code })}</Text>
            {done.duplicatesQueued > 0 && (
              <Text size="sm">{t("register.duplicates", { count: done.duplicatesQueued })}</Text>
            )}
            <AnchorLink to="/households/$id" params={{ id: String(done.id) }} size="sm">
              {t("register.openFile")}
            </AnchorLink>
          </Stack>
        </Alert>
      )}
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("register.title")}
        size="xl"
        fullScreen={isPhone}
      >
        {opened && (
          <RegisterForm
            commune={commune}
            onCancel={() => setOpened(false)}
            onDone={(made) => {
              setOpened(false);
              setDone(made);
            }}
          />
        )}
      </Modal>
    </>
  );
}

function RegisterForm({
  commune,
  onCancel,
  onDone,
}: {
  commune: string;
  onCancel: () => void;
  onDone: (made: { id: number; code: string; duplicatesQueued: number }) => void;
}) {
  const { t, language } = useRegistryText();
  const today = todayInVietnam();
  const villages = useQuery(villagesQuery(commune, today));
  const queryClient = useQueryClient();
  const [village, setVillage] = useState("");
  const [address, setAddress] = useState("");
  const [registeredOn, setRegisteredOn] = useState<string | null>(today);
  const [members, setMembers] = useState<MemberDraft[]>([emptyMember("head")]);
  const [errors, setErrors] = useState<MemberErrors[]>([]);
  const [villageError, setVillageError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () =>
      registerHousehold({
        villageCode: village,
        address: address.trim() || null,
        ...(registeredOn ? { registeredOn } : {}),
        members: members.map((m) => ({ ...memberBody(m), joinReason: "registered" as const })),
      }),
    onSuccess: (made) => {
      void queryClient.invalidateQueries({ queryKey: ["households"] });
      void queryClient.invalidateQueries({ queryKey: ["household-counts"] });
      void queryClient.invalidateQueries({ queryKey: ["household-duplicates"] });
      onDone(made);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = members.map((m) => memberProblems(m, t, language));
    setErrors(found);
    setVillageError(village ? undefined : t("member.required"));
    if (!village || found.some((e) => Object.keys(e).length > 0)) return;
    save.mutate();
  };
  const villageOptions = (villages.data?.items ?? []).filter((v) => v.level === "village");
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t("register.hint")}
        </Text>
        <NativeSelect
          label={t("register.village")}
          value={village}
          onChange={(e) => setVillage(e.currentTarget.value)}
          data={[
            { value: "", label: t("register.villagePick") },
            ...villageOptions.map((v) => ({ value: v.code, label: `${v.name} (${v.code})` })),
          ]}
          error={villageError}
          required
        />
        <TextInput
          label={t("register.address")}
          value={address}
          onChange={(e) => setAddress(e.currentTarget.value)}
          maxLength={300}
        />
        <DayInput label={t("register.registeredOn")} value={registeredOn} onChange={setRegisteredOn} />
        <Title order={3} size="h5">
          {t("register.members")}
        </Title>
        {members.map((m, i) => (
          <Paper
            // Rows are only appended or removed by the button beside each; the index is their identity here.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={i}
            withBorder
            p="sm"
            data-testid={`member-row-${i}`}
          >
            <Stack gap="xs">
              <Group justify="space-between">
                <Text fw={600} size="sm">
                  {i === 0 ? t("register.headRow") : t("register.memberN", { n: i + 1 })}
                </Text>
                {i > 0 && (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    onClick={() => {
                      setMembers(members.filter((_, j) => j !== i));
                      setErrors(errors.filter((_, j) => j !== i));
                    }}
                  >
                    {t("register.removeMember")}
                  </Button>
                )}
              </Group>
              <MemberFields
                value={m}
                onChange={(next) => setMembers(members.map((x, j) => (j === i ? next : x)))}
                errors={errors[i] ?? {}}
                relationChoices={i === 0 ? ["head"] : others}
              />
            </Stack>
          </Paper>
        ))}
        <Group>
          <Button
            variant="light"
            onClick={() => setMembers([...members, emptyMember("child")])}
            disabled={members.length >= 60}
          >
            {t("register.addMember")}
          </Button>
        </Group>
        {save.isError && <ErrorState error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t("register.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("register.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

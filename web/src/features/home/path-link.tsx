import { Anchor, type AnchorProps, Button, type ButtonProps } from "@mantine/core";
import { useRouter } from "@tanstack/react-router";
import type { MouseEvent, ReactNode } from "react";

/**
 * A link to an app path the server wrote (`/reports/entry?form=…`): a real <a href> (new tab, copy link), followed
 * inside the app on a plain click.
 */
function useFollow(href: string, onFollow?: () => void) {
  const router = useRouter();
  return (event: MouseEvent<HTMLAnchorElement>) => {
    onFollow?.();
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void router.navigate({ href });
  };
}

export function PathLink({
  href,
  children,
  onFollow,
  ...props
}: AnchorProps & { href: string; children: ReactNode; onFollow?: () => void; "aria-label"?: string }) {
  const follow = useFollow(href, onFollow);
  return (
    <Anchor href={href} onClick={follow} {...props}>
      {children}
    </Anchor>
  );
}

export function PathButton({
  href,
  children,
  ...props
}: ButtonProps & { href: string; children: ReactNode; "aria-label"?: string }) {
  const follow = useFollow(href);
  return (
    <Button component="a" href={href} onClick={follow} {...props}>
      {children}
    </Button>
  );
}

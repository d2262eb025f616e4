import { Anchor, type AnchorProps, Button, type ButtonProps } from "@mantine/core";
import { createLink, type LinkComponent } from "@tanstack/react-router";
import type { ComponentPropsWithRef } from "react";

/** Router links that look like Mantine anchors and buttons: real <a href>, so they open in a new tab and share. */
const AnchorBase = (props: AnchorProps & ComponentPropsWithRef<"a">) => <Anchor {...props} />;
const CreatedAnchorLink = createLink(AnchorBase);
export const AnchorLink: LinkComponent<typeof AnchorBase> = (props) => (
  <CreatedAnchorLink preload="intent" {...props} />
);

const ButtonBase = (props: ButtonProps & ComponentPropsWithRef<"a">) => <Button component="a" {...props} />;
const CreatedButtonLink = createLink(ButtonBase);
export const ButtonLink: LinkComponent<typeof ButtonBase> = (props) => (
  <CreatedButtonLink preload="intent" {...props} />
);

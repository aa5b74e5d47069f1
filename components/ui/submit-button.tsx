"use client";
import { useFormStatus } from "react-dom";
import type { ComponentProps } from "react";
import { Button, type ButtonStyle } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** A submit button that shows progress and cannot be pressed twice while its form is pending. */
export function SubmitButton({
  children,
  pendingLabel,
  ...props
}: ComponentProps<"button"> & ButtonStyle & { pendingLabel?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending || props.disabled} aria-disabled={pending} {...props}>
      {pending ? <Spinner /> : null}
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}

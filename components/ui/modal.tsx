"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { setNonce } from "get-nonce";
import type { ReactNode } from "react";

// Radix's scroll lock adds a <style> element, which the CSP (proxy.ts) admits only with the page's
// nonce. Browsers hide a nonce from attributes but keep it on the element; Next.js put it on its scripts.
if (typeof document !== "undefined") setNonce(document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? "");

type ModalProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
};

/** A Radix dialog: focus trapped and restored, Escape closes, the title is its accessible name. */
export function Modal({ open, onOpenChange, title, description, children, wide }: ModalProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="modal-overlay" />
        <Dialog.Content className={wide ? "modal modal-wide" : "modal"}>
          <div className="modal-header">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            <Dialog.Close className="button button-ghost button-small" aria-label="Close">
              ✕
            </Dialog.Close>
          </div>
          {description ? <Dialog.Description className="muted">{description}</Dialog.Description> : null}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

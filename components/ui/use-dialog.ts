"use client";

import { useCallback, useState } from "react";
import type { NoticeMessage } from "@/components/ui/notice";

/**
 * Which dialog of a section is open, with the two ways to close it: `close` (cancelled) and
 * `closeWithNotice` (done: the section's notice says what happened).
 */
export function useDialog<D>(onNotice: (notice: NoticeMessage) => void) {
  const [dialog, setDialog] = useState<D | null>(null);
  const close = useCallback(() => setDialog(null), []);
  const closeWithNotice = useCallback(
    (message?: string) => {
      setDialog(null);
      if (message) onNotice({ tone: "success", text: message });
    },
    [onNotice],
  );
  return { dialog, setDialog, close, closeWithNotice };
}

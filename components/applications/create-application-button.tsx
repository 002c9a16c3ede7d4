"use client";

import { useState } from "react";
import { CreateApplicationDialog } from "@/components/applications/create-application-dialog";

export function CreateApplicationButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
        Create application
      </button>
      {open ? <CreateApplicationDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

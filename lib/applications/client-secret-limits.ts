// Kept free of server code: the console's client components read it to disable "Create client secret".

/** Client secrets an application may have live at once: two, so a resource server can rotate without downtime. */
export const LIVE_SECRETS_MAX = 2;

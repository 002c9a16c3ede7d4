/**
 * Reads a request body as bytes, refusing more than `maxBytes` — counted while reading, so a
 * missing or lying Content-Length cannot get more through. Calls `tooLarge` to build the error.
 */
export async function readLimitedBytes(request: Request, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** readLimitedBytes, decoded as UTF-8. */
export async function readLimitedText(request: Request, maxBytes: number, tooLarge: () => Error): Promise<string> {
  return new TextDecoder().decode(await readLimitedBytes(request, maxBytes, tooLarge));
}

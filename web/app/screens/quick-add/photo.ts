// The card's photo as the queue keeps it: its bytes in base64 (localStorage holds text). A
// phone's photo of several megabytes is made smaller first (a card stays legible at 1600
// pixels), so that it fits in the browser's storage and goes quickly over a slow network.
import type { QueuedPhoto } from "./queue";

const kept = ["image/jpeg", "image/png", "image/webp"];
const smallEnough = 1024 * 1024;
const longestSide = 1600;

function base64Of(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

async function smaller(file: Blob): Promise<Blob | null> {
  try {
    const image = await createImageBitmap(file);
    const scale = Math.min(1, longestSide / Math.max(image.width, image.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    canvas.getContext("2d")?.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  } catch {
    return null;
  }
}

// Null when the file is not an image the browser can read.
export async function cardPhoto(file: File): Promise<QueuedPhoto | null> {
  let blob: Blob = file;
  let name = file.name;
  if (!kept.includes(file.type) || file.size > smallEnough) {
    const resized = await smaller(file);
    if (!resized) return null;
    blob = resized;
    name = name.replace(/\.[^.]*$/, "") + ".jpg";
  }
  return { type: blob.type, name, base64: base64Of(await blob.arrayBuffer()) };
}

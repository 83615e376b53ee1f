import { Configuration, V0alpha2Api } from '@ory/client';
import type { AxiosError } from 'axios';

/** An unmodified @ory/client@0.2.0-alpha.60 V0alpha2Api against `baseUrl`. */
export function oryClient(baseUrl: string): V0alpha2Api {
  return new V0alpha2Api(new Configuration({ basePath: baseUrl }));
}

/** Awaits a rejected SDK call and returns its HTTP response (status, body, headers). */
export async function oryFailure(call: Promise<unknown>): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }> {
  try {
    await call;
  } catch (e) {
    const res = (e as AxiosError).response;
    if (!res) throw e;
    return { status: res.status, data: res.data, headers: res.headers as Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}
